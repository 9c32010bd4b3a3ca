"""The site's 500 handler: a database that cannot be reached is a 503 "back in a moment" page.

Django calls handler500 (with DEBUG off) for any exception a view or a middleware lets
through, from inside the `except` block that caught it, so the exception is at hand; Django
has logged it already ("Internal Server Error", with the traceback, on `django.request`).
While PostgreSQL restarts, every query (including the session save in SessionMiddleware,
which process_exception would not see) fails to reach it: those get the 503 page with
Retry-After, which load balancers and browsers understand as "temporary". Every other
database error (SQLite's "database is locked", a PostgreSQL deadlock, a missing table) is a
fault to look into, not an outage to wait out: a plain 500.
"""

import logging
import sqlite3
import sys

import psycopg
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.defaults import page_not_found as django_page_not_found
from django.views.defaults import server_error as django_server_error

from sitecache.http import never_stored

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# PostgreSQL's SQLSTATEs for "the server went away": class 08 (connection exception), and
# the server shutting down, crashed or still starting (57P01, 57P02, 57P03).
SERVER_GONE_STATES = ("57P01", "57P02", "57P03")


def driver_error_means_unreachable(error: BaseException | None) -> bool:
    if isinstance(error, psycopg.OperationalError):
        # No SQLSTATE: libpq never got an answer (refused, timed out, connection lost).
        state = error.sqlstate
        return state is None or state.startswith("08") or state in SERVER_GONE_STATES
    if isinstance(error, sqlite3.OperationalError):
        return (error.sqlite_errorname or "").startswith("SQLITE_CANTOPEN")
    return False


def database_unreachable(error: BaseException | None) -> bool:
    """True for a failure to reach the database, False for any other error."""
    if isinstance(error, InterfaceError):  # the connection is already closed
        return True
    if not isinstance(error, OperationalError):
        return False
    return driver_error_means_unreachable(error.__cause__)


def database_unavailable() -> HttpResponse:
    # Rendered without the request: its context processors would read the session and the
    # user, which live in the database that is down.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@never_stored
def server_error(request: HttpRequest) -> HttpResponse:
    error = sys.exception()
    if database_unreachable(error):
        logger.warning("Database unreachable, answered 503: %s", error)
        return database_unavailable()
    return django_server_error(request)


# A page that is not there today may be tomorrow (a lesson added in the admin): never kept.
page_not_found = never_stored(django_page_not_found)
