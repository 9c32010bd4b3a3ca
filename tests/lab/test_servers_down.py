"""A sandbox Redis or Memcached that is down gets a plain 503, never a 500."""

import pytest
from django.conf import settings
from django.test import override_settings

from cachelab.cache_config import build_caches
from tests.servers import address_of_a_stopped_server

HTMX = {"HX-Request": "true"}


@pytest.fixture
def redis_down(redis_server, memcached_server):
    """The lab's Redis aliases point at a port nothing listens on; the site's own cache
    (sessions, the experiment lock) stays on the live server."""
    down = address_of_a_stopped_server()
    caches = build_caches(f"redis://{down}/0", [memcached_server.address])
    caches["default"] = settings.CACHES["default"]
    with override_settings(REDIS_URL=f"redis://{down}/0", CACHES=caches):
        yield down


@pytest.fixture
def memcached_down(redis_server):
    down = address_of_a_stopped_server()
    caches = build_caches(f"redis://{redis_server.address}/0", [down])
    with override_settings(MEMCACHED_SERVERS=[down], CACHES=caches):
        yield down


def test_the_report_through_a_redis_that_is_down_says_so_with_a_503(client, shop, redis_down):
    response = client.get("/lab/?backend=django-redis")
    assert response.status_code == 503
    assert (
        f"Redis at {redis_down} refused the connection: is redis-server running?"
        in response.content.decode()
    )


def test_the_report_through_a_memcached_that_is_down_says_so_with_a_503(
    client, shop, memcached_down
):
    response = client.get("/lab/?backend=memcached", headers=HTMX)
    assert response.status_code == 503
    assert f"Memcached at {memcached_down}" in response.content.decode()


def test_an_experiment_with_redis_down_is_a_503_with_the_reason(client, shop, redis_down):
    response = client.post("/lab/experiments/cold-start", headers=HTMX)
    assert response.status_code == 503
    assert f"Redis at {redis_down} refused the connection" in response.content.decode()


def test_a_floor_probe_with_redis_down_is_a_503(client, redis_down):
    response = client.get("/lab/floor?probe=redis")
    assert response.status_code == 503
    assert f"Redis at {redis_down}" in response.content.decode()
