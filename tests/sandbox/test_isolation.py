"""One learner can never read, change or delete another's keys."""

import pytest
from django.core.cache import caches

from cachelab.cache_config import SANDBOX_ALIASES
from sandbox.backends import BACKENDS
from sandbox.scenario import run_scenario
from tests.sandbox.helpers import last, run, run_calls_as

pytestmark = pytest.mark.django_db


def test_two_learners_with_the_same_key_each_see_their_own_value(backend: str) -> None:
    run("cache.set('greeting', 'from one')", session_key="one", backends=[backend])
    run("cache.set('greeting', 'from two')", session_key="two", backends=[backend])
    assert (
        last(run("cache.get('greeting')", session_key="one", backends=[backend]), backend).value
        == "'from one'"
    )
    assert (
        last(run("cache.get('greeting')", session_key="two", backends=[backend]), backend).value
        == "'from two'"
    )


def test_a_learner_cannot_delete_another_learners_key(backend: str) -> None:
    run("cache.set('shared-name', 1)", session_key="one", backends=[backend])
    deleted = last(
        run("cache.delete('shared-name')", session_key="two", backends=[backend]), backend
    )
    assert deleted.value == "False"
    assert (
        last(run("cache.get('shared-name')", session_key="one", backends=[backend]), backend).value
        == "1"
    )


def test_clear_deletes_only_the_learners_own_keys(backend: str) -> None:
    run(
        "cache.set_many({'a': 1, 'b': 2})\ncache.set('c', 3, version=2)",
        session_key="one",
        backends=[backend],
    )
    run("cache.set('a', 'kept')", session_key="two", backends=[backend])
    caches[SANDBOX_ALIASES[backend]].set("not-a-learner-key", "kept")

    cleared = last(run("cache.clear()", session_key="one", backends=[backend]), backend)

    assert "deleted only your 3 key(s)" in cleared.notes[0]
    after = run(
        "cache.get_many(['a', 'b'])\ncache.get('c', version=2)",
        session_key="one",
        backends=[backend],
    )
    assert [line.outcomes[backend].value for line in after.lines] == ["{}", "None"]
    assert (
        last(run("cache.get('a')", session_key="two", backends=[backend]), backend).value
        == "'kept'"
    )
    assert caches[SANDBOX_ALIASES[backend]].get("not-a-learner-key") == "kept"


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


def test_the_api_keeps_the_key_registry_in_the_server_side_session(client) -> None:
    client.post("/sandbox/api/run", {"code": "cache.set('k', 1)"}, content_type="application/json")
    assert client.session["sandbox_keys"]["memcached"] == [["k", None]]


def test_the_ab_scenario_shows_locmem_per_process_and_the_others_shared() -> None:
    scenario = run_scenario(lambda calls, server: run_calls_as("scenario", calls, server))
    got = {name: scenario.on_b.lines[0].outcomes[name].value for name in BACKENDS}
    assert got["locmem"] == "None"
    assert {got[name] for name in ("redis", "django-redis", "memcached")} == {
        "'written on app server A'"
    }
    assert "own process memory" in scenario.explanations["locmem"]
    assert "same cache server" in scenario.explanations["memcached"]
