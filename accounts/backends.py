"""Failed logins, counted by django-axes per account and per client address (settings.AXES_*;
the address is ops.clients.client_address)."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class ThrottledLoginBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login made through a request.

    axes refuses an authenticate() call without a request; server-side code that has no
    request (Django's test client's login(), a management command) has no form or address to
    throttle, so it is left to the next backend.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
