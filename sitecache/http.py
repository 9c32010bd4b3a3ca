"""How browsers and proxies may keep each page: one policy per view, named where the view is.

Lesson 6 teaches these headers; the site is its own example. A view says which policy it has
with one decorator (`@learner_page`, `@shared_page`, `@never_stored`), which sets the
`Cache-Control` header and marks the view, so /lab/this-site/ lists the policy of every URL
and tests/cachelab/test_http_caching.py checks every URL pattern against it:

- `learner_page`: a page that shows one learner (their name, their progress, their work).
  Only their browser may keep it (`private`) and it asks the server again before every reuse
  (`no-cache`), so Back shows what is true now, not what was true before the last answer.
- `never_stored`: a page that must not be kept at all (`no-store`: Django's never_cache): one
  whose stale copy would mislead even for a moment (a question already answered, the account
  corner, a health check) or that holds a one-time form.
- `shared_page`: the same page for everyone, never reading the session: any cache may keep it
  (`public`) and revalidates it with its ETag (`no-cache`, so an edit shows at once; a repeat
  visit is a 304).

Static files are not views: WhiteNoise sends them with a year's `max-age` and `immutable`,
their names carrying a hash of their content.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


@dataclass(frozen=True)
class Policy:
    name: str
    header: str  # what the policy sends (never_stored: what never_cache sends)
    meaning: str  # for /lab/this-site/


LEARNER = Policy(
    "learner page",
    "private, no-cache",
    "Shows one learner: only their browser keeps it, and revalidates it before every use.",
)
NEVER = Policy(
    "never stored",
    "max-age=0, no-cache, no-store, must-revalidate, private",
    "Kept by no cache at all: a stale copy would mislead even for a moment.",
)
SHARED = Policy(
    "shared page",
    "public, no-cache",
    "The same for everyone: any cache may keep it, revalidated with its ETag (304).",
)

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


learner_page = _with_policy(
    LEARNER, lambda response: patch_cache_control(response, private=True, no_cache=True)
)
never_stored = _with_policy(NEVER, add_never_cache_headers)
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
