from django.urls import path

from challenges import views

app_name = "challenges"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.challenge, name="challenge"),
    path("<slug:slug>/run", views.run, name="run"),
    path("<slug:slug>/check", views.check, name="check"),
]
