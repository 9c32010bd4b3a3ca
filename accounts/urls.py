"""Django's own auth views under /accounts/, named as django.contrib.auth.urls names them
(its views reverse "password_reset_done" and the like without a namespace). Each is given the
site's caching policy here (sitecache.http): forms with a CSRF token or a one-time reset link are
never stored; the pages that only say "done" are the learner's own."""

from django.contrib.auth import views as auth
from django.urls import path

from accounts import views
from sitecache.http import never_stored

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("corner/", views.corner, name="account_corner"),
    path(
        "login/",
        never_stored(auth.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path(
        "password_change/", never_stored(auth.PasswordChangeView.as_view()), name="password_change"
    ),
    path(
        "password_change/done/",
        never_stored(auth.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("password_reset/", never_stored(auth.PasswordResetView.as_view()), name="password_reset"),
    path(
        "password_reset/done/",
        never_stored(auth.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        never_stored(auth.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        never_stored(auth.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]
