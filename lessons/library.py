"""Serving lesson pages cheaply: one small query, no cache round trip, no template rendering.

- The rendered Markdown body is kept in the site's shared `default` cache, keyed by the
  lesson's pk and `updated_at`, so no app server renders the same Markdown twice.
- The whole lesson page is kept in each process's memory, keyed by the slug, a stamp of every
  lesson's (pk, slug, updated_at) read from the database on every request (and, under DEBUG,
  a stamp of the page's templates). A copy can therefore never disagree with the database:
  an edit saved through any app server changes the stamp every app server reads at once, and
  a deploy starts new processes with empty memory. The lesson list's cards live in the
  shared cache under the same stamp.
- The page is rendered for an anonymous visitor and has nothing to post, so it carries no
  CSRF token: nothing of one learner (messages, user, token) can reach another.

Saving a lesson always moves its `updated_at`, even a raw save from `loaddata`, which keeps its
fixture timestamp: the post_save handler then bumps it, so a reloaded fixture is seen too.
Entries under old keys are never read again and expire from the shared cache after a day;
the memo keeps at most 64 pages per process.
"""

import functools
import hashlib
from dataclasses import dataclass
from typing import TypedDict

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection
from django.http import Http404, HttpRequest
from django.template.loader import get_template, render_to_string
from django.urls import resolve, reverse
from django.utils import timezone

from lessons.models import Impact, Lesson
from lessons.rendering import RenderedBody, TocEntry, render_body

# Bump when the Markdown renderer's output changes, so no app server serves HTML made by
# the old code from the shared cache. (Kept pages live in process memory, which a deploy
# empties; under DEBUG, template edits change their key: see lesson_page().)
RENDER_VERSION = 3
RENDERED_TIMEOUT = 60 * 60 * 24
PAGE_TEMPLATE = "lessons/detail.html"


@dataclass(frozen=True)
class Outline:
    """Which lessons exist, and a stamp that changes whenever any of them is saved."""

    slugs: frozenset[str]
    stamp: str


@dataclass(frozen=True)
class Place:
    lesson: Lesson
    position: int
    count: int
    previous: Lesson | None
    next: Lesson | None


class Card(TypedDict):
    """One lesson as the lesson list shows it."""

    slug: str
    url: str
    title: str
    summary: str
    impact: str
    impact_label: str
    minutes: int


def site_cache():
    return caches["default"]


def current_outline() -> Outline:
    # A plain SQL query: the ORM's query compilation would cost more than the query itself
    # on this, the hottest path of the lesson pages.
    table = connection.ops.quote_name(Lesson._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, slug, updated_at FROM {table}")
        rows = sorted(cursor.fetchall())
    stamp = hashlib.sha256(repr(rows).encode()).hexdigest()[:20]
    return Outline(slugs=frozenset(slug for _pk, slug, _at in rows), stamp=stamp)


def body_cache_key(lesson: Lesson) -> str:
    return f"lessons:body:v{RENDER_VERSION}:{lesson.pk}:{lesson.updated_at.timestamp():.6f}"


def cards_cache_key(outline: Outline) -> str:
    return f"lessons:cards:v{RENDER_VERSION}:{outline.stamp}"


def rendered_body(lesson: Lesson) -> RenderedBody:
    key = body_cache_key(lesson)
    rendered = site_cache().get(key)
    if rendered is None:
        rendered = render_body(lesson.body)
        site_cache().set(key, rendered, RENDERED_TIMEOUT)
    return rendered


def lesson_page(slug: str, outline: Outline) -> str:
    """The page's HTML: the same for every learner."""
    if slug not in outline.slugs:
        raise Http404(f"There is no lesson called “{slug}”.")
    # runserver reloads edited templates without restarting the process
    templates = compute_templates_stamp() if settings.DEBUG else ""
    return shared_page(slug, outline.stamp, templates)


# Five lessons, each with one current stamp: 64 entries leave room for old stamps to age out.
@functools.lru_cache(maxsize=64)
def shared_page(slug: str, stamp: str, templates: str) -> str:
    """One lesson's page for everyone; the arguments after the slug only key the memo."""
    place = find_place(slug)
    return render_page(place, rendered_body(place.lesson))


def render_page(place: Place, body: RenderedBody) -> str:
    """The page as an anonymous visitor sees it."""
    context = {
        "place": place,
        "lesson": place.lesson,
        "body": body,
        "practice_url": reverse("quiz:quiz", args=["practice"]),
    }
    return render_to_string(PAGE_TEMPLATE, context, anonymous_request(place.lesson))


def anonymous_request(lesson: Lesson) -> HttpRequest:
    """A bare GET of the lesson's page: no user, no messages, no cookies."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = lesson.get_absolute_url()
    request.resolver_match = resolve(request.path)
    request.user = AnonymousUser()
    return request


def compute_templates_stamp() -> str:
    """Changes when the page's templates or static file URLs change."""
    sample = Lesson(pk=0, slug="sample", title="t", summary="s", impact=Impact.HIGH)
    place = Place(lesson=sample, position=1, count=1, previous=sample, next=sample)
    toc: list[TocEntry] = [{"id": "a", "text": "a", "children": []}]
    sample_page = render_page(place, {"html": "", "minutes": 1, "toc": toc})
    sources = [get_template(name).template.source for name in ("base.html", PAGE_TEMPLATE)]
    return hashlib.sha256("\0".join([sample_page, *sources]).encode()).hexdigest()[:16]


def lesson_cards(outline: Outline) -> list[Card]:
    key = cards_cache_key(outline)
    cards = site_cache().get(key)
    if cards is None:
        cards = [card(lesson) for lesson in Lesson.objects.all()]
        site_cache().set(key, cards, RENDERED_TIMEOUT)
    return cards


def card(lesson: Lesson) -> Card:
    return {
        "slug": lesson.slug,
        "url": lesson.get_absolute_url(),
        "title": lesson.title,
        "summary": lesson.summary,
        "impact": lesson.impact,
        "impact_label": lesson.get_impact_display(),
        "minutes": lesson.reading_minutes,
    }


def find_place(slug: str) -> Place:
    """The lesson with its neighbours, from one query that leaves the bodies out."""
    lessons = list(Lesson.objects.defer("body"))
    for index, lesson in enumerate(lessons):
        if lesson.slug == slug:
            return Place(
                lesson=lesson,
                position=index + 1,
                count=len(lessons),
                previous=lessons[index - 1] if index > 0 else None,
                next=lessons[index + 1] if index + 1 < len(lessons) else None,
            )
    raise Http404(f"There is no lesson called “{slug}”.")


def move_updated_at(lesson: Lesson) -> None:
    """A raw save (loaddata) keeps the fixture's `updated_at`; move it so the stamp changes."""
    Lesson.objects.filter(pk=lesson.pk).update(updated_at=timezone.now())
