"""Which version of a lesson page a request gets: its ETag, and the rendered page.

A lesson page is the same for every learner (what belongs to one, their reading progress and
the account corner, is loaded from URLs of its own), so it depends only on the course
outline (its text and its neighbours' titles) and on the deployed templates and static
files. `lesson_etag` combines them: a repeat visit is a 304 until one changes. A first
visit gets the page rendered once for everyone and kept in the site's generational cache
(`LESSON_PAGES`, keyed by the ETag too): rendering it costs about ten times a cache read.
Under DEBUG (runserver reloads edited templates without restarting) pages carry no ETag and
are always rendered.
"""

import functools
import hashlib

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest
from django.template.loader import get_template

from lessons.outline import outline_of
from sitecache.generations import Generational
from sitecache.registry import SiteCache, describe

PAGE_TEMPLATES = (
    "base.html",
    "lessons/detail.html",
    "lessons/_read_placeholder.html",
    "accounts/_corner_placeholder.html",
)


describe(
    SiteCache(
        name="lesson pages (HTTP)",
        where="browsers and proxies (HTTP cache): Cache-Control: public, no-cache",
        stores="A whole lesson page, the same for every learner.",
        key_shape="the page's URL; ETag: hash of (slug, outline stamp, templates and static files)",
        timeout=0,
        invalidation=(
            "Revalidated on every use (If-None-Match): a 304 while the ETag matches. Any lesson "
            "saved, renamed, reordered or deleted changes the outline stamp; a deploy changes "
            "the templates' stamp."
        ),
        why_safe=(
            "The ETag is computed from the database on every request, so it changes with the "
            "content, and the page holds nothing of one learner (their account corner and "
            "reading progress load from URLs of their own, never cached)."
        ),
    )
)

LESSON_PAGES = Generational(
    "lesson-pages",
    timeout=3600,
    stores="A lesson page's HTML as every learner gets it (it holds nothing of one learner).",
    part="<slug>:<ETag>",
    invalidation=(
        "Saving or deleting a lesson bumps the generation, at once and again when it commits; "
        "the ETag in the key changes with the course outline and the deployed templates."
    ),
)


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
    parts = (slug, outline.stamp, deploy_stamp())
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]
