"""The course outline: every lesson's slug, title and last change, in reading order.

A lesson page shows its place in the course and its neighbours, so one small query over the
whole course (a short row per lesson, bodies left out) answers both "which lesson is this"
and "has any lesson changed since this page was rendered" (the page's ETag). It is read from
the database once per request (`outline_of`): the ETag and the view share it. Not cached: a
query this small costs about what a cache round trip does.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.http import HttpRequest
from django.urls import reverse

from lessons.models import Lesson

REQUEST_ATTRIBUTE = "_lessons_outline"


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


def outline_of(request: HttpRequest) -> Outline:
    """The outline, read once per request (the ETag and the view both need it)."""
    outline = getattr(request, REQUEST_ATTRIBUTE, None)
    if outline is None:
        outline = course_outline()
        setattr(request, REQUEST_ATTRIBUTE, outline)
    return outline
