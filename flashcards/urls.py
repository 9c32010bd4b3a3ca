from django.urls import path

from flashcards import views

app_name = "flashcards"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/rate", views.rate, name="rate"),
]
