"""Which version of a lesson page a request gets, and the pages kept for anonymous learners.

A lesson page depends on the course outline (its text and its neighbours' titles), on the
deployed templates and static files, and on who is looking (the header shows the signed-in
learner; everything else of a learner is loaded separately, see lessons/templates).

- `lesson_etag` combines them for conditional GET: a repeat visit is a 304 until one changes.
- Every anonymous learner with no message waiting (a first visit without cookies, or a
  returning learner whose session holds their quiz and sandbox work) gets the same page, so
  each process keeps it, keyed by the lesson and the outline's stamp. An edit saved through
  any app server changes the stamp every app server reads on its next request; a deploy
  starts new processes. A page is kept only when rendering it made no CSRF token and left the
  session unchanged, so nothing of one learner can reach another. A signed-in learner's page
  (their name in the header) is always rendered.

Under DEBUG (runserver reloads edited templates without restarting) pages are always
rendered and carry no ETag.
"""

import functools
import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest
from django.template.loader import get_template

from lessons.outline import Place, outline_of

PAGE_TEMPLATES = (
    "base.html",
    "lessons/detail.html",
    "lessons/_read_placeholder.html",
)
KEPT_PAGES = 32  # five lessons, with room for the pages of older stamps to be dropped


@functools.cache
def deploy_stamp() -> str:
    """The deployed page templates and static files, read once per process."""
    sources = [get_template(name).template.source for name in PAGE_TEMPLATES]
    sources.append(getattr(staticfiles_storage, "manifest_hash", ""))
    return hashlib.sha256("\0".join(sources).encode()).hexdigest()[:16]


def lesson_etag(request: HttpRequest, slug: str) -> str | None:
    """For `condition`: None (no conditional GET) for an unknown lesson or under DEBUG."""
    outline = outline_of(request)
    if settings.DEBUG or outline.place(slug) is None:
        return None
    user = request.user
    viewer = f"{user.pk}:{user.get_username()}" if user.is_authenticated else "anonymous"
    parts = (slug, outline.stamp, deploy_stamp(), viewer)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


class SharedPages:
    """Rendered lesson pages every anonymous learner gets, by (slug, outline stamp)."""

    def __init__(self, size: int = KEPT_PAGES) -> None:
        self.size = size
        self.pages: dict[tuple[str, str], bytes] = {}

    def key(self, request: HttpRequest, place: Place) -> tuple[str, str] | None:
        """None when this request's page may differ from another learner's."""
        if settings.DEBUG or request.user.is_authenticated or has_messages_waiting(request):
            return None
        return (place.entry.slug, outline_of(request).stamp)

    def get(self, key: tuple[str, str]) -> bytes | None:
        return self.pages.get(key)

    def keep(self, key: tuple[str, str], request: HttpRequest, content: bytes) -> None:
        made_token = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
        if made_token or request.session.modified:
            return
        if len(self.pages) >= self.size:
            self.pages.clear()  # stamps change rarely: the pages kept are mostly stale ones
        self.pages[key] = content


def has_messages_waiting(request: HttpRequest) -> bool:
    """True when the page would show messages (testing this does not mark them shown)."""
    return bool(get_messages(request))


SHARED_PAGES = SharedPages()
