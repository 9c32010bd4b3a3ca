"""The address of the client a request comes from, behind trusted proxies or not.

Behind nginx every request comes from the proxy's address. Each proxy appends the address
it received the request from to `X-Forwarded-For`, so with N trusted proxies in front of
the app server (DJANGO_TRUSTED_PROXY_COUNT) the client is the N-th entry from the right:
the entries left of it were written by the client itself and prove nothing. With 0 the
header is ignored, so a client cannot choose its address by sending one.
"""

import ipaddress
from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def client_address(request: HttpRequest) -> str:
    return client_address_of(request.META)


def client_address_of(meta: Mapping[str, str]) -> str:
    """client_address from a request's META or a WSGI environ (gunicorn's access log)."""
    peer = meta.get("REMOTE_ADDR") or UNKNOWN
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted == 0:
        return peer
    header = meta.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < trusted:
        # Fewer entries than proxies: the request did not come through all of them (or a
        # proxy is misconfigured); the nearest address is the only one known to be true.
        return peer
    return hops[-trusted]


def client_ip(request: HttpRequest) -> str | None:
    """The client address when it is an IP address, else None (a request built in code,
    such as the test client's login, has none): for django-axes, which stores it in a
    GenericIPAddressField that PostgreSQL checks."""
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None
