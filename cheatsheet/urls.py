from django.urls import path

from cheatsheet import views

app_name = "cheatsheet"
urlpatterns = [
    path("", views.index, name="index"),
]
