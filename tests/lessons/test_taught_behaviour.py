"""What the lessons teach about Django's page cache, redis-py's lock, has_key() and the add()
guard, checked against the installed Django and libraries and the live servers (issue 18)."""

import itertools
import re
import uuid

import django
import pytest
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils.cache import get_cache_key, patch_vary_headers
from django.views.decorators.cache import cache_page

from tests.lessons.test_content import code_after, lesson_sources
from tests.sandbox.helpers import last, run

pytestmark = pytest.mark.django_db


def counting_view(respond=None):
    """A view under cache_page(60) that says how many times it really ran."""
    calls = itertools.count(1)

    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse(f"render {next(calls)}")
        if respond:
            respond(request, response)
        return response

    return cache_page(60)(view)


def served_twice(view, **request_headers) -> tuple[bytes, bytes]:
    request = RequestFactory().get(f"/page-{uuid.uuid4().hex}/", headers=request_headers)
    return view(request).content, view(request).content


def test_the_page_cache_stores_an_ordinary_page() -> None:
    assert served_twice(counting_view()) == (b"render 1", b"render 1")


def test_a_cookie_setting_page_that_varies_on_cookie_is_never_stored_since_5_2_16() -> None:
    def sets_a_cookie(request, response):
        response.set_cookie("visitor", "ada")
        patch_vary_headers(response, ["Cookie"])

    # The request carries a cookie of its own: 5.2.15 and earlier stored this page.
    pages = served_twice(counting_view(sets_a_cookie), Cookie="theme=dark")
    assert pages == (b"render 1", b"render 2")


@pytest.mark.parametrize(
    "header", [("Cache-Control", "No-Store"), ("Cache-Control", "no-cache"), ("Vary", "*")]
)
def test_no_store_no_cache_and_vary_star_are_never_stored(header) -> None:
    def says(request, response):
        response[header[0]] = header[1]

    assert served_twice(counting_view(says)) == (b"render 1", b"render 2")


def test_a_request_with_authorization_gets_a_page_that_varies_on_it() -> None:
    request = RequestFactory().get("/private/", headers={"Authorization": "Bearer x"})
    assert "Authorization" in counting_view()(request)["Vary"]


def test_a_cached_page_is_deleted_with_the_key_get_cache_key_rebuilds() -> None:
    view = counting_view()
    request = RequestFactory().get(f"/prices/{uuid.uuid4().hex}/")
    assert get_cache_key(request) is None  # nothing cached for this URL yet
    view(request)

    assert caches["default"].delete(get_cache_key(request)) is True
    assert view(request).content == b"render 2"


def test_the_site_runs_a_release_with_every_rule_the_lesson_lists() -> None:
    assert django.VERSION[:3] >= (5, 2, 16)


def test_the_lesson_page_shows_the_django_release_the_site_runs(client) -> None:
    html = client.get("/lessons/page-caching/").content.decode()

    assert f"Cache Lab itself runs Django\n{django.get_version()})" in html
    assert "{django_version}" not in html


def test_django_redis_lock_polls_every_tenth_of_a_second_with_set_nx() -> None:
    name = f"lesson-lock-{uuid.uuid4().hex}"
    lock, other = (caches["default"].lock(name, timeout=5) for _ in range(2))
    assert lock.sleep == other.sleep == 0.1
    assert lock.acquire(blocking=False)
    assert not other.acquire(blocking=True, blocking_timeout=0.25)  # tried, then gave up
    lock.release()


def test_has_key_is_exists_on_redis_and_a_full_get_on_memcached() -> None:
    result = run("cache.set('k', 'v')\ncache.has_key('k')")
    wire = {name: last(result, name).wire.commands for name in ("redis", "django-redis")}
    assert [re.sub(r" \S+$", "", command) for command in wire["redis"]] == ["EXISTS"]
    assert [command.split()[0] for command in wire["django-redis"]] == ["EXISTS"]
    assert [command.split()[0] for command in last(result, "memcached").wire.commands] == ["get"]


class AnotherCallerInBetween:
    """The real cache, except that right after this caller's first get() another caller runs
    the whole function: it wins the guard, builds, stores and releases the guard before this
    caller reaches add(). The race the guard's second look is for."""

    def __init__(self, cache, other) -> None:
        self.cache, self.other = cache, other

    def get(self, *args, **kwargs):
        value = self.cache.get(*args, **kwargs)
        if self.other is not None:
            other, self.other = self.other, None
            other()
        return value

    def __getattr__(self, name: str):
        return getattr(self.cache, name)


def test_the_lessons_add_guard_builds_once_when_a_caller_wins_it_after_another() -> None:
    guard = code_after(lesson_sources()["why-cache"], "### Good: one rebuild, guarded by `add()`")
    cache = caches["default"]
    cache.delete_many(["report:sales", "report:sales:rebuilding"])
    builds = []

    def build_sales_report():
        builds.append(1)
        return {"total": 42}

    first = {"cache": cache, "build_sales_report": build_sales_report}
    exec(guard, first)
    racing = AnotherCallerInBetween(cache, first["sales_report"])
    second = {"cache": racing, "build_sales_report": build_sales_report}
    exec(guard, second)

    assert second["sales_report"]() == {"total": 42}
    assert len(builds) == 1
    cache.delete("report:sales")
