from django.contrib import admin
from django.urls import include, path

handler404 = "ops.errors.page_not_found"
handler500 = "ops.errors.server_error"

urlpatterns = [
    path("", include("home.urls")),
    path("", include("ops.urls")),
    path("lessons/", include("lessons.urls")),
    path("quiz/", include("quiz.urls")),
    path("sandbox/", include("sandbox.urls")),
    path("lab/", include("lab.urls")),
    path("learn/", include("learn.urls")),
    path("challenges/", include("challenges.urls")),
    path("flashcards/", include("flashcards.urls")),
    path("spot-the-bug/", include("spotbug.urls")),
    path("cheat-sheet/", include("cheatsheet.urls")),
    path("accounts/", include("accounts.urls")),
    path("progress/", include("learners.urls")),
    path("admin/", admin.site.urls),
]
