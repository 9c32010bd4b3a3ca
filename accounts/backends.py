"""Failed logins, counted by django-axes per account and per client address (settings.AXES_*)."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


def login_client_address(request: HttpRequest) -> str:
    """The address a failed login is counted under (AXES_CLIENT_IP_CALLABLE)."""
    # TODO(ops): cachelab.clients.client_address(request) once it lands on main, so that the
    # address behind the load balancer is the client's and not the proxy's.
    return request.META.get("REMOTE_ADDR", "")


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
