"""Serving lesson pages cheaply: one small query, one cache get.

Two entries in the site's shared `default` cache:

- the rendered Markdown body, keyed by the lesson's pk and `updated_at`;
- the whole lesson article (header, table of contents, body, practice link, previous/next),
  keyed by the slug and a stamp of every lesson's `updated_at`, because the article shows its
  neighbours' titles too; the lesson list's cards are keyed by the same stamp.

Each request reads the stamp from the database (one query of slugs and timestamps), so an
edit saved through any app server changes the keys every app server asks for at once; the
old entries are never read again and expire. post_save and post_delete also delete the
current entries, which covers a fixture reloaded with unchanged timestamps.
"""

import hashlib
from dataclasses import dataclass
from typing import TypedDict

from django.core.cache import caches
from django.db import connection
from django.http import Http404
from django.template.loader import render_to_string

from lessons.models import Lesson
from lessons.rendering import RenderedBody, render_body

# Bump when the renderer's or the article template's output changes, so no app server
# serves HTML made by the old code.
RENDER_VERSION = 2
RENDERED_TIMEOUT = 60 * 60 * 24
# The quiz app serves the practice questions here (its URL is fixed by the course plan).
PRACTICE_URL = "/quiz/practice/"


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


class Article(TypedDict):
    title: str
    summary: str
    html: str


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


def article_cache_key(slug: str, outline: Outline) -> str:
    return f"lessons:article:v{RENDER_VERSION}:{slug}:{outline.stamp}"


def cards_cache_key(outline: Outline) -> str:
    return f"lessons:cards:v{RENDER_VERSION}:{outline.stamp}"


def rendered_body(lesson: Lesson) -> RenderedBody:
    key = body_cache_key(lesson)
    rendered = site_cache().get(key)
    if rendered is None:
        rendered = render_body(lesson.body)
        site_cache().set(key, rendered, RENDERED_TIMEOUT)
    return rendered


def lesson_article(slug: str, outline: Outline) -> Article:
    if slug not in outline.slugs:
        raise Http404(f"There is no lesson called “{slug}”.")
    key = article_cache_key(slug, outline)
    article = site_cache().get(key)
    if article is None:
        article = build_article(find_place(slug))
        site_cache().set(key, article, RENDERED_TIMEOUT)
    return article


def build_article(place: Place) -> Article:
    body = rendered_body(place.lesson)
    html = render_to_string(
        "lessons/article.html",
        {
            "place": place,
            "lesson": place.lesson,
            "body": body,
            "practice_url": PRACTICE_URL,
        },
    )
    return {"title": place.lesson.title, "summary": place.lesson.summary, "html": html}


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


def forget_lesson(lesson: Lesson) -> None:
    """Drop the cached HTML a saved or deleted lesson may appear in."""
    outline = current_outline()
    articles = [article_cache_key(slug, outline) for slug in outline.slugs | {lesson.slug}]
    site_cache().delete_many([body_cache_key(lesson), cards_cache_key(outline), *articles])
