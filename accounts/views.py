from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.forms import SignupForm
from accounts.limits import TooManySignups, count_signup
from ops.clients import client_address
from sitecache.http import never_stored

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def next_url(request: HttpRequest) -> str:
    """Where to go after signing up: the `next` the learner came from, if it is on this site."""
    url = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def locked_out(
    request: HttpRequest, response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """What django-axes answers a login refused for too many failures (AXES_LOCKOUT_CALLABLE)."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


@require_http_methods(["GET", "HEAD", "POST"])
@never_stored
@sensitive_post_parameters("password1", "password2")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(next_url(request))
    form = SignupForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            count_signup(client_address(request))
        except TooManySignups as error:
            context = {"form": form, "next": next_url(request), "refused": str(error)}
            response = render(request, "registration/signup.html", context, status=429)
            response["Retry-After"] = str(error.retry_after)
            return response
        user = form.save()
        # Through django.contrib.auth.login: it cycles the session key and sends
        # user_logged_in, which hands the visitor's work to the new account.
        login(request, user, backend=MODEL_BACKEND)
        messages.success(request, f"Welcome, {user.get_username()}: your work is kept now.")
        return redirect(next_url(request))
    return render(request, "registration/signup.html", {"form": form, "next": next_url(request)})


@require_safe
@never_stored
@vary_on_headers("HX-Request")
def corner(request: HttpRequest) -> HttpResponse:
    """The account corner of a page that is the same for everyone (a lesson): the learner's
    name and log-out form (or log in and sign up) and any message waiting for them, as an
    htmx fragment, or as a page of its own without JavaScript."""
    template = "accounts/corner.html#fragment" if request.htmx else "accounts/corner.html"
    return render(request, template)
