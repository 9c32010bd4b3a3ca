"""With a backend's server down, a challenge says that part cannot be graded now and marks
nothing wrong; the other backends are graded as usual."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import override_settings

from cachelab.cache_config import build_caches
from challenges.models import Result
from ops.services import Service
from sandbox.catalogue import CACHE_BACKENDS
from tests.challenges.conftest import challenge, check, first_answers, form_fields, graded

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_servers(own_server) -> Iterator[dict[str, Service]]:
    """A throwaway Redis and Memcached behind the sandbox's aliases only (the site cache,
    sessions and the learner's key lists keep using the suite's servers)."""
    servers = {"redis": own_server("redis"), "memcached": own_server("memcached")}
    own = build_caches(f"redis://{servers['redis'].address}/0", [servers["memcached"].address])
    sandbox_caches = {backend.alias: own[backend.alias] for backend in CACHE_BACKENDS}
    with override_settings(CACHES={**settings.CACHES, **sandbox_caches}):
        yield servers


def test_a_stopped_redis_grades_nothing_on_redis_and_the_rest_as_usual(
    challenges, client, own_servers
) -> None:
    own_servers["redis"].stop()
    slug = "add-on-an-existing-key"
    response = check(client, slug, first_answers(challenge(slug)))
    assert response.status_code == 200
    body, items = response.json(), graded(response)
    for question in ("q1", "q2", "q3"):
        for name in ("redis", "django-redis"):
            item = items[(question, name)]
            assert item["right"] is None and item["actual"] is None
            assert item["why"].startswith(f"Redis at {own_servers['redis'].address} refused")
            assert "cannot be graded now, so nothing is marked wrong" in item["why"]
        for name in ("locmem", "memcached"):
            assert items[(question, name)]["right"] is not None
    assert body["out_of"] == 6 and body["not_graded"] == 6
    assert Result.objects.get().out_of == 6


def test_a_stopped_memcached_is_not_graded_even_for_its_ttl_and_flags(
    challenges, client, own_servers
) -> None:
    own_servers["memcached"].stop()
    response = check(client, "memcached-flags", first_answers(challenge("memcached-flags")))
    body = response.json()
    assert response.status_code == 200
    assert body["score"] == body["out_of"] == 0 and body["not_graded"] == 4
    assert all("Memcached at" in item["why"] for item in body["graded"])
    assert not Result.objects.exists()  # nothing could be graded: nothing recorded


def test_the_page_says_which_part_cannot_be_graded_now(challenges, client, own_servers) -> None:
    own_servers["redis"].stop()
    slug = "incr-round-trips"
    page = client.post(f"/challenges/{slug}/run", form_fields(challenge(slug))).content.decode()
    assert "4 could not be graded now and count for nothing" in page
    assert "Not graded" in page and "refused the connection" in page
