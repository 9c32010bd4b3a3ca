"""The course outline: every lesson's slug, title and last change, in reading order.

A lesson page shows its place in the course and its neighbours, so one small query over the
whole course (five rows, bodies left out) answers both "which lesson is this" and "has any
lesson changed since this page was rendered".

Each process keeps the outline it last read, with the outline version it read it under. The
version lives in the shared `default` cache: saving or deleting a lesson gives it a new value
(at once, and again when the transaction commits, so a request that read the old rows in
between cannot keep them), and a request reads it once (`outline_of`). So an edit saved
through any app server is seen by every app server on its next request, and an unchanged
course costs a request one cache read instead of a query. Without a version in the cache
(evicted, Redis restarted or down) the outline is read from the database. A change the
version missed (saved while Redis was unreachable, or made behind Django's back) is seen
within KEPT_SECONDS.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from lessons.models import Lesson

REQUEST_ATTRIBUTE = "_lessons_outline"
VERSION_KEY = "lessons:outline-version"
KEPT_SECONDS = 60


@dataclass(frozen=True)
class Entry:
    pk: int
    slug: str
    title: str
    updated_at: datetime

    def get_absolute_url(self) -> str:
        return reverse("lessons:detail", args=[self.slug])


@dataclass(frozen=True)
class Place:
    entry: Entry
    position: int
    count: int
    previous: Entry | None
    next: Entry | None


@dataclass(frozen=True)
class Outline:
    entries: tuple[Entry, ...]

    def place(self, slug: str) -> Place | None:
        for index, entry in enumerate(self.entries):
            if entry.slug == slug:
                return Place(
                    entry=entry,
                    position=index + 1,
                    count=len(self.entries),
                    previous=self.entries[index - 1] if index > 0 else None,
                    next=self.entries[index + 1] if index + 1 < len(self.entries) else None,
                )
        return None

    @cached_property
    def stamp(self) -> str:
        """Changes whenever a lesson is added, removed, renamed, reordered or edited."""
        return hashlib.sha256(repr(self.entries).encode()).hexdigest()[:16]


def course_outline() -> Outline:
    rows = Lesson.objects.values_list("pk", "slug", "title", "updated_at")
    return Outline(entries=tuple(Entry(*row) for row in rows))


# (outline version, when read, outline): this process's copy.
_kept: tuple[str, float, Outline] | None = None


def current_outline() -> Outline:
    """The outline as of the shared version: this process's copy while the version is the
    one it was read under, else read again from the database (after the version, so never
    older than it)."""
    global _kept
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        return course_outline()  # kept from the next request on, once a version exists
    if _kept is not None and _kept[0] == version and time.monotonic() - _kept[1] < KEPT_SECONDS:
        return _kept[2]
    outline = course_outline()
    _kept = (version, time.monotonic(), outline)
    return outline


def outline_of(request: HttpRequest) -> Outline:
    """The outline, read once per request (the ETag and the view both need it)."""
    outline = getattr(request, REQUEST_ATTRIBUTE, None)
    if outline is None:
        outline = current_outline()
        setattr(request, REQUEST_ATTRIBUTE, outline)
    return outline


def new_outline_version() -> None:
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)


def outline_changed(**_kwargs) -> None:
    """A lesson was saved or deleted: every process reads the outline again."""
    new_outline_version()
    transaction.on_commit(new_outline_version)
