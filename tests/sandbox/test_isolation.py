"""One learner can never read, change or delete another's keys."""

import threading

import pytest
from django.core.cache import caches

from learners.identity import VISITOR_SESSION_KEY, Learner
from sandbox import registry
from sandbox.catalogue import NAMES, backend_named
from sandbox.results import process_label
from sandbox.scenario import run_scenario
from tests.sandbox.helpers import last, namespace_of, run, run_calls_as

pytestmark = pytest.mark.django_db


def test_two_learners_with_the_same_key_each_see_their_own_value(backend: str) -> None:
    run("cache.set('greeting', 'from one')", learner="one", backends=[backend])
    run("cache.set('greeting', 'from two')", learner="two", backends=[backend])
    assert (
        last(run("cache.get('greeting')", learner="one", backends=[backend]), backend).value
        == "'from one'"
    )
    assert (
        last(run("cache.get('greeting')", learner="two", backends=[backend]), backend).value
        == "'from two'"
    )


def test_a_learner_cannot_delete_another_learners_key(backend: str) -> None:
    run("cache.set('shared-name', 1)", learner="one", backends=[backend])
    deleted = last(run("cache.delete('shared-name')", learner="two", backends=[backend]), backend)
    assert deleted.value == "False"
    assert (
        last(run("cache.get('shared-name')", learner="one", backends=[backend]), backend).value
        == "1"
    )


def test_clear_deletes_only_the_learners_own_keys(backend: str) -> None:
    run(
        "cache.set_many({'a': 1, 'b': 2})\ncache.set('c', 3, version=2)",
        learner="one",
        backends=[backend],
    )
    run("cache.set('a', 'kept')", learner="two", backends=[backend])
    caches[backend_named(backend).alias].set("not-a-learner-key", "kept")

    cleared = last(run("cache.clear()", learner="one", backends=[backend]), backend)

    assert "deleted only your 3 key(s)" in cleared.notes[0]
    after = run(
        "cache.get_many(['a', 'b'])\ncache.get('c', version=2)",
        learner="one",
        backends=[backend],
    )
    assert [line.outcomes[backend].value for line in after.lines] == ["{}", "None"]
    assert last(run("cache.get('a')", learner="two", backends=[backend]), backend).value == "'kept'"
    assert caches[backend_named(backend).alias].get("not-a-learner-key") == "kept"


def test_clear_never_flushes_the_shared_redis_server() -> None:
    caches["default"].set("site-data", "kept")
    run("cache.set('a', 1)\ncache.clear()")
    assert caches["default"].get("site-data") == "kept"


def test_the_key_registry_is_per_store_so_server_b_keeps_its_own_locmem_keys() -> None:
    run("cache.set('a', 'on A')", server="A", backends=["locmem"])
    run("cache.set('b', 'on B')", server="B", backends=["locmem"])
    cleared = last(run("cache.clear()", server="B", backends=["locmem"]), "locmem")
    assert "deleted only your 1 key(s)" in cleared.notes[0]
    assert last(run("cache.get('a')", server="A", backends=["locmem"]), "locmem").value == "'on A'"


def test_the_api_keeps_the_key_registry_in_redis_and_leaves_the_session_alone(client) -> None:
    api = "/sandbox/api/run"
    client.post(api, {"code": "cache.get('k')"}, content_type="application/json")
    session_before = dict(client.session.items())
    client.post(api, {"code": "cache.set('k', 1)"}, content_type="application/json")
    assert dict(client.session.items()) == session_before
    namespace = Learner(visitor=client.session[VISITOR_SESSION_KEY]).namespace
    assert set(registry.load(namespace, ["memcached"])["memcached"].entries) == {("k", None)}


def test_two_runs_at_once_by_one_learner_never_lose_a_key_from_the_registry(backend) -> None:
    def set_keys(prefix: str) -> None:
        for index in range(10):
            run(f"cache.set('{prefix}{index}', 1)", backends=[backend])

    threads = [threading.Thread(target=set_keys, args=(prefix,)) for prefix in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cleared = last(run("cache.clear()", backends=[backend]), backend)
    assert "deleted only your 20 key(s)" in cleared.notes[0]
    left = run(
        f"cache.get_many({[p + str(i) for p in 'ab' for i in range(10)]!r})", backends=[backend]
    )
    assert last(left, backend).value == "{}"


def test_a_locmem_key_remembers_the_process_that_set_it() -> None:
    run("cache.set('k', 1)", backends=["locmem"])
    entries = registry.load(namespace_of("learner-one"), ["locmem"])["locmem"].entries
    assert entries == {("k", None): {process_label()}}


def test_the_registry_expires_an_hour_after_its_last_write() -> None:
    run("cache.set('k', 1)", backends=["redis"])
    ttl = registry.redis_client().ttl(registry.registry_key(namespace_of("learner-one"), "redis"))
    assert 3600 < ttl <= registry.TTL_SECONDS


def test_the_ab_scenario_shows_locmem_per_process_and_the_others_shared() -> None:
    scenario = run_scenario(lambda calls, server: run_calls_as("scenario", calls, server))
    got = {name: scenario.on_b.lines[0].outcomes[name].value for name in NAMES}
    assert got["locmem"] == "None"
    assert {got[name] for name in ("redis", "django-redis", "memcached")} == {
        "'written on app server A'"
    }
    assert "own process memory" in scenario.explanations["locmem"]
    assert "same cache server" in scenario.explanations["memcached"]
