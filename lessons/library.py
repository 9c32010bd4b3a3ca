"""Reading lessons cheaply: one query for the outline, one cache get for the rendered body.

The rendered HTML lives in the site's shared `default` cache under a key made of the
lesson's pk and `updated_at`, so an edit made on one app server is seen by all of them at
once (the old entry simply stops being asked for and expires). post_save also deletes the
entry, which covers a fixture reloaded with an unchanged `updated_at`.
"""

from dataclasses import dataclass

from django.core.cache import caches
from django.http import Http404

from lessons.models import Lesson
from lessons.rendering import RenderedBody, render_body

# Bump when the renderer's output changes, so no app server serves HTML from the old one.
RENDER_VERSION = 1
RENDERED_TIMEOUT = 60 * 60 * 24


@dataclass(frozen=True)
class Place:
    lesson: Lesson
    position: int
    count: int
    previous: Lesson | None
    next: Lesson | None
    slugs: frozenset[str]


def site_cache():
    return caches["default"]


def body_cache_key(lesson: Lesson) -> str:
    return f"lessons:body:v{RENDER_VERSION}:{lesson.pk}:{lesson.updated_at.timestamp():.6f}"


def rendered_body(lesson: Lesson) -> RenderedBody:
    key = body_cache_key(lesson)
    rendered = site_cache().get(key)
    if rendered is None:
        rendered = render_body(lesson.body)
        site_cache().set(key, rendered, RENDERED_TIMEOUT)
    return rendered


def forget_rendered_body(lesson: Lesson) -> None:
    site_cache().delete(body_cache_key(lesson))


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
                slugs=frozenset(item.slug for item in lessons),
            )
    raise Http404(f"There is no lesson called “{slug}”.")
