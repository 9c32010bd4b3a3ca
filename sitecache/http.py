"""How browsers and proxies may keep each page: one policy per view, named where the view is.

Lesson 6 teaches these headers; the site is its own example. A view says which policy it has
with one decorator, which sets `Cache-Control` and marks the view, so /lab/this-site/ lists the
policy of every URL and tests/cachelab/test_http_caching.py checks every URL pattern:

- `never_stored` (Django's never_cache headers: `private, no-cache, no-store, ...`): a page that
  shows one learner (their name, progress or work) or what is true only now (a health check,
  live counts, a one-time form). No cache keeps it. `private, no-cache` alone is not enough
  for Back: Chromium shows a no-cache page from its cache on Back without asking the server
  (tests/cachelab/test_browser_back.py caught the sandbox's history going stale that way),
  while a no-store page is fetched again.
- `shared_page` (`public, no-cache`): the same page for everyone, never reading the session.
  Any cache may keep it and revalidates it with its ETag, so an edit shows at once and a repeat
  visit is a 304.

Static files are not views: WhiteNoise sends them with a year's `max-age` and `immutable`, their
names carrying a hash of their content.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver, get_resolver
from django.utils.cache import add_never_cache_headers, patch_cache_control


@dataclass(frozen=True)
class Policy:
    name: str
    header: str  # the Cache-Control it sends
    meaning: str  # for /lab/this-site/


NEVER_STORED = Policy(
    "never stored",
    "max-age=0, no-cache, no-store, must-revalidate, private",
    "One learner's page, or true only now: no cache keeps it, so Back asks the server again.",
)
SHARED = Policy(
    "shared",
    "public, no-cache",
    "The same for everyone: any cache may keep it, revalidated with its ETag (304).",
)
POLICIES = (NEVER_STORED, SHARED)

View = Callable[..., HttpResponse]


def _with_policy(policy: Policy, apply: Callable[[HttpResponse], None]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            apply(response)
            return response

        wrapped.cache_policy = policy  # type: ignore[attr-defined]
        return wrapped

    return decorate


never_stored = _with_policy(NEVER_STORED, add_never_cache_headers)
shared_page = _with_policy(
    SHARED, lambda response: patch_cache_control(response, public=True, no_cache=True)
)


def policy_of(view: Any) -> Policy | None:
    """The policy a view was given (looking through decorators that keep __wrapped__)."""
    while view is not None:
        found = getattr(view, "cache_policy", None)
        if found is not None:
            return found
        view = getattr(view, "__wrapped__", None)
    return None


@dataclass(frozen=True)
class PagePolicy:
    pattern: str  # the route as written, e.g. "lessons/<slug:slug>/"
    policy: Policy | None  # None: a POST-only view (nothing to keep), or not given one


def page_policies(resolver: URLResolver | None = None, prefix: str = "") -> list[PagePolicy]:
    """Every URL pattern of the site (Django's admin, whose views are never cached, left out)
    with its view's policy: what /lab/this-site/ lists."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                found += page_policies(entry, prefix + str(entry.pattern))
        else:
            found.append(PagePolicy(prefix + str(entry.pattern), policy_of(entry.callback)))
    return found
