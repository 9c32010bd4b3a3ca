"""Round trips counted on the real servers, and the floor making exactly those it is asked."""

import pytest
from django.core.cache import caches

from bench.round_trips import RoundTrips, counting
from sandbox.catalogue import backend_named

pytestmark = pytest.mark.django_db


def test_one_cache_get_is_one_redis_round_trip_and_a_pipeline_is_one_too() -> None:
    cache = caches["default"]
    cache.get("warm-up")  # the pool's connection and its handshake are behind us
    with counting() as one_get:
        cache.get("k")
    pipe = cache.client.get_client(write=True).pipeline(transaction=False)
    with counting() as one_pipeline:
        pipe.get("a").get("b").get("c").execute()
    assert one_get.round_trips == RoundTrips(redis=1)
    assert one_pipeline.round_trips == RoundTrips(redis=1)


def test_memcached_commands_are_counted() -> None:
    cache = caches[backend_named("memcached").alias]
    with counting() as counted:
        cache.set("k", 1)
        cache.get("k")
    assert counted.round_trips == RoundTrips(memcached=2)


@pytest.mark.parametrize(
    "round_trips",
    [RoundTrips(), RoundTrips(db=3), RoundTrips(redis=2), RoundTrips(db=1, redis=4, memcached=2)],
)
def test_the_floor_makes_exactly_the_round_trips_its_query_asks_for(client, round_trips) -> None:
    client.get(f"/lab/floor?{RoundTrips(db=1, redis=1, memcached=1).floor_query()}")  # connect
    with counting() as counted:
        response = client.get(f"/lab/floor?{round_trips.floor_query()}")
    assert response.status_code == 200 and len(response.content) == 2048
    assert counted.round_trips == round_trips


@pytest.mark.parametrize("query", ["db=-1", "db=x", "django-redis=51", "probe=mongo"])
def test_the_floor_refuses_a_query_it_cannot_serve(client, query) -> None:
    response = client.get(f"/lab/floor?{query}")
    assert response.status_code == 400
