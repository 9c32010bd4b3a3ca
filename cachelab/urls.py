from django.contrib import admin
from django.urls import include, path

from cachelab import views

handler500 = "cachelab.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("lessons/", include("lessons.urls")),
    path("quiz/", include("quiz.urls")),
    path("sandbox/", include("sandbox.urls")),
    path("lab/", include("lab.urls")),
    path("admin/", admin.site.urls),
]
