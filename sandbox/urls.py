from django.urls import path

from sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("", views.index, name="index"),
    path("run", views.run, name="run"),
    path("scenario", views.run_scenario, name="scenario"),
    path("details", views.details, name="details"),
    path("history/clear", views.clear_history, name="clear_history"),
    path("api/run", views.api_run, name="api_run"),
]
