"""Each call on each real backend, and the differences between them as they really are."""

import pytest
from django.conf import settings
from django.test import override_settings
from pymemcache.client.base import Client

from cachelab.cache_config import build_caches
from sandbox.catalogue import NAMES
from sandbox.columns import MISSING
from sandbox.connections import cache_for
from tests.clock import counts_down_from, seconds_after
from tests.sandbox.helpers import last, namespace_of, run, values

pytestmark = pytest.mark.django_db


def test_a_set_value_comes_back_from_get(backend: str) -> None:
    result = run(
        "cache.set('greeting', 'hello', timeout=300)\ncache.get('greeting')", backends=[backend]
    )
    assert last(result, backend).value == "'hello'"
    assert last(result, backend).error is None


def test_add_stores_only_when_the_key_is_absent(backend: str) -> None:
    result = run("cache.add('k', 1)\ncache.add('k', 2)\ncache.get('k')", backends=[backend])
    assert [line.outcomes[backend].value for line in result.lines] == ["True", "False", "1"]


def test_get_or_set_stores_the_default_once(backend: str) -> None:
    result = run(
        "cache.get_or_set('k', 'first')\ncache.get_or_set('k', 'second')", backends=[backend]
    )
    assert [line.outcomes[backend].value for line in result.lines] == ["'first'", "'first'"]


def test_incr_and_decr_count(backend: str) -> None:
    result = run(
        "cache.set('n', 10)\ncache.incr('n')\ncache.decr('n', delta=4)", backends=[backend]
    )
    assert [line.outcomes[backend].value for line in result.lines[1:]] == ["11", "7"]


def test_incr_on_a_missing_key_is_a_value_error(backend: str) -> None:
    outcome = last(run("cache.incr('missing')", backends=[backend]), backend)
    assert outcome.error.startswith("ValueError: Key ")
    assert "not found" in outcome.error


def test_delete_says_whether_a_key_was_there(backend: str) -> None:
    result = run(
        "cache.set('k', 1)\ncache.delete('k')\ncache.delete('k')\ncache.has_key('k')",
        backends=[backend],
    )
    assert [line.outcomes[backend].value for line in result.lines[1:]] == ["True", "False", "False"]


def test_touch_says_whether_the_key_exists(backend: str) -> None:
    result = run(
        "cache.set('k', 1)\ncache.touch('k', 60)\ncache.touch('absent', 60)", backends=[backend]
    )
    assert [line.outcomes[backend].value for line in result.lines[1:]] == ["True", "False"]


def test_the_many_calls_set_read_and_delete_several_keys(backend: str) -> None:
    code = (
        "cache.set_many({'a': 1, 'b': [2]})\n"
        "cache.get_many(['a', 'b', 'c'])\n"
        "cache.delete_many(['a', 'b'])\n"
        "cache.get_many(['a', 'b'])"
    )
    result = run(code, backends=[backend])
    assert result.lines[1].outcomes[backend].value == "{'a': 1, 'b': [2]}"
    assert result.lines[3].outcomes[backend].value == "{}"


def test_a_version_is_part_of_the_stored_key(backend: str) -> None:
    result = run(
        "cache.set('k', 'v2', version=2)\ncache.get('k')\ncache.get('k', version=2)",
        backends=[backend],
    )
    assert [line.outcomes[backend].value for line in result.lines[1:]] == ["None", "'v2'"]
    assert ":2:" in result.lines[0].outcomes[backend].keys[0].stored_key


def test_the_learner_sees_their_key_and_the_key_django_builds(backend: str) -> None:
    view = last(run("cache.get('greeting')", backends=[backend]), backend).keys[0]
    namespace = namespace_of("learner-one")
    assert view.key == "greeting"
    assert view.stored_key == f"sandbox-{backend}:1:{namespace}:greeting"


def test_the_latency_of_the_call_itself_is_measured(backend: str) -> None:
    outcome = last(run("cache.get('k')", backends=[backend]), backend)
    assert outcome.latency_us is not None and outcome.latency_us > 0


def test_returned_keys_come_back_without_the_namespace(backend: str) -> None:
    result = run("cache.set('a', 1)\ncache.get_many(['a'])", backends=[backend])
    assert last(result, backend).value == "{'a': 1}"


def test_decr_below_zero_stops_at_zero_on_memcached_and_goes_negative_elsewhere() -> None:
    result = run("cache.set('n', 1)\ncache.decr('n', 5)")
    assert values(result) == ("-4", "-4", "-4", "0")


def test_incr_on_a_float_works_on_locmem_and_django_redis_and_fails_on_the_others() -> None:
    result = run("cache.set('f', 1.5)\ncache.incr('f')")
    outcomes = {name: last(result, name) for name in NAMES}
    assert outcomes["locmem"].value == outcomes["django-redis"].value == "2.5"
    assert outcomes["redis"].error == "ResponseError: value is not an integer or out of range"
    assert "non-numeric value" in outcomes["memcached"].error


def test_a_key_with_a_space_fails_on_memcached_and_warns_on_locmem_and_redis() -> None:
    outcomes = {name: last(run("cache.set('a b', 1)"), name) for name in NAMES}
    assert outcomes["memcached"].error.startswith("InvalidCacheKey: Cache key contains characters")
    for name in ("locmem", "redis"):
        assert outcomes[name].error is None
        assert outcomes[name].warnings[0].startswith("CacheKeyWarning: Cache key contains")
    # django-redis does not validate keys at all: it neither warns nor fails.
    assert (outcomes["django-redis"].value, outcomes["django-redis"].warnings) == ("True", [])


def test_a_key_over_250_characters_fails_on_memcached_only() -> None:
    outcomes = {name: last(run(f"cache.set('{'k' * 240}', 1)"), name) for name in NAMES}
    assert outcomes["memcached"].error.startswith("InvalidCacheKey: Cache key will cause errors")
    assert "CacheKeyWarning" in outcomes["locmem"].warnings[0]


def test_set_returns_none_except_on_django_redis_which_returns_true() -> None:
    assert values(run("cache.set('k', 1)")) == ("None", "None", "True", "None")


def test_a_memcached_set_is_checked_by_reading_it_back() -> None:
    outcome = last(run("cache.set('k', 'v')", backends=["memcached"]), "memcached")
    assert "read the keys back to check it worked: it did" in outcome.notes[0]
    stored = cache_for("memcached", "A").get(f"{namespace_of('learner-one')}:k", MISSING)
    assert stored == "v"


@pytest.mark.parametrize("backend", ["redis", "django-redis"])
def test_redis_shows_an_integer_stored_raw_and_a_string_pickled(backend: str) -> None:
    result = run("cache.set('n', 42)\ncache.set('s', 'hello', timeout=120)", backends=[backend])
    number, text = (line.outcomes[backend].keys[0].details for line in result.lines)
    assert number.startswith("Redis string, TTL ")
    assert ", 2 bytes, stored as a raw integer" in number
    assert counts_down_from(300, seconds_after("TTL", number))
    assert text.startswith("Redis string, TTL ") and text.endswith("stored as a pickle")
    assert counts_down_from(120, seconds_after("TTL", text))


def test_redis_says_when_a_key_is_not_on_the_server() -> None:
    view = last(run("cache.get('absent')", backends=["redis"]), "redis").keys[0]
    assert view.details == "not on the Redis server"


def test_memcached_shows_which_server_the_key_went_to(memcached_server) -> None:
    view = last(run("cache.set('k', 1)", backends=["memcached"]), "memcached").keys[0]
    assert view.details.startswith(f"Memcached server {memcached_server.address} (1 of 1)")


def test_locmem_shows_the_pickled_size_and_the_process() -> None:
    view = last(run("cache.set('k', 1, timeout=60)", backends=["locmem"]), "locmem").keys[0]
    assert "bytes pickled in process" in view.details
    assert counts_down_from(60, seconds_after("expires in", view.details))


def test_server_b_has_a_locmem_store_of_its_own_and_shares_the_others() -> None:
    run("cache.set('k', 'from A')", server="A")
    on_b = run("cache.get('k')", server="B")
    assert values(on_b) == ("None", "'from A'", "'from A'", "'from A'")


def test_a_memcached_set_with_timeout_zero_expires_at_once_and_is_not_called_a_failure() -> None:
    result = run("cache.set('k', 1, timeout=0)\ncache.get('k')", backends=["memcached"])
    assert result.lines[0].outcomes["memcached"].error is None
    assert last(result, "memcached").value == "None"


def test_clear_on_memcached_is_checked_by_reading_the_keys_back() -> None:
    outcome = last(run("cache.set('k', 1)\ncache.clear()", backends=["memcached"]), "memcached")
    assert any("read the keys back to check it worked: it did" in note for note in outcome.notes)


def test_with_two_memcached_servers_each_key_names_the_server_that_really_holds_it(
    own_server,
) -> None:
    addresses = [own_server("memcached").address for _ in range(2)]
    memcached = build_caches("redis://127.0.0.1:1/0", addresses)["sandbox-memcached"]
    with override_settings(CACHES={**settings.CACHES, "sandbox-memcached": memcached}):
        keys = [f"key-{index}" for index in range(8)]
        result = run(f"cache.set_many({dict.fromkeys(keys, 1)!r})", backends=["memcached"])
        assert last(result, "memcached").error is None
        views = holders(result, keys)
    for view in views:
        holding = [a for a in addresses if Client(a).get(view.stored_key) is not None]
        assert len(holding) == 1
        assert view.details.startswith(f"Memcached server {holding[0]} (")
    shown = {view.details.split()[2] for view in views}
    assert shown == set(addresses)  # eight keys landed on both servers


def holders(result, keys: list[str]):
    """Key views for every key: inspect them one line at a time (a call shows three)."""
    views = list(last(result, "memcached").keys)
    for key in keys[len(views) :]:
        views += last(run(f"cache.has_key({key!r})", backends=["memcached"]), "memcached").keys
    return views
