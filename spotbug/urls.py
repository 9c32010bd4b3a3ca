from django.urls import path

from spotbug import views

app_name = "spotbug"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.snippet, name="snippet"),
    path("<int:pk>/answer", views.answer, name="answer"),
]
