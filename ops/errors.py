"""The site's 500 handler: a database that is down is a 503 "back in a moment" page.

Django calls handler500 (with DEBUG off) for any exception a view or a middleware lets
through, from inside the `except` block that caught it, so the exception is at hand. While
PostgreSQL restarts, every query (including the session save in SessionMiddleware, which
process_exception would not see) raises OperationalError or InterfaceError: those get the
503 page with Retry-After, which load balancers and browsers understand as "temporary".
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def database_unavailable() -> HttpResponse:
    # Rendered without the request: its context processors would read the session and the
    # user, which live in the database that is down.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    error = sys.exception()
    if isinstance(error, DATABASE_DOWN_ERRORS):
        logger.warning("Database unavailable, answered 503: %s", error)
        return database_unavailable()
    return django_server_error(request)
