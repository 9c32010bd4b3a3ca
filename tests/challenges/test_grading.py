"""Each prediction is graded against what the live backends did and what crossed the wire;
a wrong one shows the real result, the wire and the explanation, with the lesson's section."""

import pytest
from django.test import Client

from tests.challenges.conftest import challenge, check, first_answers, graded

pytestmark = pytest.mark.django_db


def predictions_for(slug: str, **answers) -> dict:
    """first_answers, with `answers` ({"q1": {"redis": 2}}) put in."""
    chosen = first_answers(challenge(slug))
    for name, by_backend in answers.items():
        chosen[name].update(by_backend)
    return chosen


def test_incr_on_the_built_in_redis_cache_takes_two_round_trips_and_django_redis_one(
    challenges, client
) -> None:
    predicted = {"q1": {"locmem": 0, "redis": 1, "django-redis": 1, "memcached": 1}}
    response = check(client, "incr-round-trips", predictions_for("incr-round-trips", **predicted))
    items = graded(response)
    redis = items[("q1", "redis")]
    assert (redis["predicted"], redis["actual"], redis["right"]) == (1, 2, False)
    assert [line.split()[0] for line in redis["wire"]] == ["EXISTS", "INCRBY"]
    assert items[("q1", "django-redis")]["right"] is True
    assert items[("q1", "django-redis")]["wire"][0].startswith("EVAL")
    assert items[("q1", "locmem")]["actual"] == 0 and items[("q1", "locmem")]["right"] is True
    assert "No network" in items[("q1", "locmem")]["why"]


def test_a_wrong_value_shows_the_real_result_the_wire_and_the_explanation_row(
    challenges, client
) -> None:
    predicted = {"q1": {name: "[]" for name in ("locmem", "redis", "django-redis", "memcached")}}
    response = check(
        client, "set-many-return-values", predictions_for("set-many-return-values", **predicted)
    )
    body = response.json()
    wrong = graded(response)[("q1", "django-redis")]
    assert wrong["right"] is False and wrong["actual"] == "None"
    assert wrong["wire"][0] == "MULTI" and wrong["wire"][-1] == "EXEC"
    assert (
        "set_many() returns a list of keys that failed" in wrong["explanations"][0]["explanation"]
    )
    assert body["read"] == "/lessons/memcached/#several-servers-and-client-side-hashing"
    for name in ("locmem", "redis", "memcached"):
        assert graded(response)[("q1", name)]["right"] is True


def test_decr_below_zero_stops_at_zero_on_memcached_only(challenges, client) -> None:
    predicted = {"q1": {name: "-3" for name in ("locmem", "redis", "django-redis", "memcached")}}
    items = graded(
        check(client, "decr-below-zero", predictions_for("decr-below-zero", **predicted))
    )
    assert items[("q1", "memcached")]["actual"] == "0"
    assert items[("q1", "memcached")]["right"] is False
    assert items[("q1", "memcached")]["wire"][0].startswith("decr ")
    assert all(items[("q1", name)]["right"] for name in ("locmem", "redis", "django-redis"))


def test_an_error_is_predicted_by_its_type(challenges, client) -> None:
    predicted = {"q1": {"memcached": "raises InvalidCacheKey"}}
    items = graded(
        check(client, "a-key-with-a-space", predictions_for("a-key-with-a-space", **predicted))
    )
    assert items[("q1", "memcached")]["right"] is True
    assert "InvalidCacheKey: Cache key contains characters" in items[("q1", "memcached")]["why"]
    assert items[("q1", "locmem")]["actual"] == "None"
    assert "CacheKeyWarning" in items[("q1", "locmem")]["why"]


def test_a_200_character_e_key_is_refused_by_memcached_before_anything_is_sent(
    challenges, client
) -> None:
    items = graded(check(client, "a-200-character-e-key", predictions_for("a-200-character-e-key")))
    assert items[("q1", "memcached")]["actual"] == "raises MemcacheIllegalInputError"
    assert items[("q2", "memcached")]["actual"] == 0
    assert items[("q2", "redis")]["actual"] == 1


def test_app_server_b_sees_the_shared_backends_and_not_locmem(challenges, client) -> None:
    yes = {name: "yes" for name in ("locmem", "redis", "django-redis", "memcached")}
    items = graded(
        check(client, "locmem-on-server-b", predictions_for("locmem-on-server-b", q1=yes))
    )
    assert items[("q1", "locmem")]["actual"] == "no" and items[("q1", "locmem")]["right"] is False
    assert "own process" in items[("q1", "locmem")]["why"]
    for name in ("redis", "django-redis", "memcached"):
        assert items[("q1", name)]["actual"] == "yes" and items[("q1", name)]["right"] is True
    assert items[("q1", "redis")]["wire"][0].startswith("EXISTS ")


def test_a_ttl_counts_within_its_tolerance_and_not_beyond(challenges, client) -> None:
    near = {"q2": {"locmem": 61, "redis": 59, "django-redis": 60, "memcached": 66}}
    items = graded(
        check(
            client,
            "touch-gives-a-new-timeout",
            predictions_for("touch-gives-a-new-timeout", **near),
        )
    )
    for name in ("locmem", "redis", "django-redis"):
        assert abs(items[("q2", name)]["actual"] - 60) <= 1
        assert items[("q2", name)]["right"] is True
    assert items[("q2", "memcached")]["right"] is False


def test_add_on_an_existing_key_keeps_its_value_and_its_timeout(challenges, client) -> None:
    items = graded(
        check(client, "add-on-an-existing-key", predictions_for("add-on-an-existing-key"))
    )
    for name in ("locmem", "redis", "django-redis", "memcached"):
        assert items[("q1", name)]["actual"] == "False"
        assert items[("q2", name)]["actual"] == "'worker-1'"
        assert abs(items[("q3", name)]["actual"] - 30) <= 2


def test_memcached_flags_follow_the_values_type(challenges, client) -> None:
    items = graded(check(client, "memcached-flags", predictions_for("memcached-flags")))
    assert [items[(name, "memcached")]["actual"] for name in ("q1", "q2", "q3", "q4")] == [
        2,
        16,
        1,
        1,
    ]
    assert "flags 2" in items[("q1", "memcached")]["wire"][0]


def test_get_many_takes_one_round_trip_on_every_server_backend(challenges, client) -> None:
    items = graded(
        check(client, "get-many-in-one-round-trip", predictions_for("get-many-in-one-round-trip"))
    )
    assert {items[("q1", name)]["actual"] for name in ("redis", "django-redis", "memcached")} == {1}


def test_timeout_zero_stores_nothing_and_none_keeps_the_value(challenges, client) -> None:
    items = graded(check(client, "timeout-zero-and-none", predictions_for("timeout-zero-and-none")))
    assert items[("q1", "django-redis")]["actual"] == "False"
    assert {
        items[("q2", name)]["actual"] for name in ("locmem", "redis", "django-redis", "memcached")
    } == {"None"}
    assert items[("q3", "redis")]["actual"] == "'dark'"


def test_a_challenge_leaves_none_of_its_keys_behind(challenges, client) -> None:
    check(client, "add-on-an-existing-key", predictions_for("add-on-an-existing-key"))
    run = client.post(
        "/sandbox/api/run",
        {"code": "cache.get('lock:rebuild-report')"},
        content_type="application/json",
    ).json()
    assert {result["value"] for result in run["lines"][0]["results"].values()} == {"None"}


def test_a_key_left_by_the_sandbox_does_not_change_the_answers(challenges) -> None:
    client = Client()
    client.post(
        "/sandbox/api/run",
        {"code": "cache.set('counter', 1000)"},
        content_type="application/json",
    )
    items = graded(check(client, "incr-round-trips", predictions_for("incr-round-trips")))
    assert items[("q2", "redis")]["actual"] == "42"
