"""Which lessons this learner has opened, kept in a small signed cookie.

No server state: it works the same on every app server, costs no database or cache
write, and an anonymous page view never creates a session.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

COOKIE_NAME = "lessons_opened"
COOKIE_SALT = "lessons.progress"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365


def opened_slugs(request: HttpRequest) -> set[str]:
    """The slugs in the cookie; a missing, tampered or malformed cookie counts as none."""
    value = request.get_signed_cookie(COOKIE_NAME, default="", salt=COOKIE_SALT)
    return {slug for slug in value.split(",") if slug}


def remember_opened(
    request: HttpRequest, response: HttpResponse, slug: str, known: frozenset[str]
) -> None:
    """Add `slug` to the cookie, writing it only when it changes; unknown slugs are dropped."""
    opened = opened_slugs(request)
    if slug in opened:
        return
    value = ",".join(sorted((opened | {slug}) & known))
    response.set_signed_cookie(
        COOKIE_NAME,
        value,
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
