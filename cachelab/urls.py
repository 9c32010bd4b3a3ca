from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from cachelab import views

handler500 = "cachelab.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("lessons/", include("lessons.urls")),
    path("quiz/", include("quiz.urls")),
    path("sandbox/", include("sandbox.urls")),
    path("lab/", include("lab.urls")),
    path("accounts/", include("accounts.urls")),
    path("progress/", accounts_views.progress, name="progress"),
    path("admin/", admin.site.urls),
]
