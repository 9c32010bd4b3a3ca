from django.urls import path

from lab import views

app_name = "lab"

urlpatterns = [
    path("", views.index, name="index"),
    # The newest figures: all of "Why cache"'s (no argument), or one topic's (lessons embed it).
    path("figures", views.figures, name="figures"),
    path("figures/<slug:topic>/", views.topic_figures, name="figures"),
    path("experiments/<slug:kind>", views.experiment, name="experiment"),
    # The benchmark's framework floor: the cheapest page Django can serve (see README).
    path("floor", views.floor, name="floor"),
    path("this-site/", views.this_site, name="this_site"),
]
