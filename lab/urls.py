from django.urls import path

from lab import views

app_name = "lab"

urlpatterns = [
    path("", views.index, name="index"),
    path("figures", views.figures, name="figures"),
    path("experiments/<slug:kind>", views.experiment, name="experiment"),
    # The benchmark's framework floor: the cheapest page Django can serve (see README).
    path("floor", views.floor, name="floor"),
]
