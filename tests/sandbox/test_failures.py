"""A backend stopped mid-test says so plainly, the others still answer, and it recovers."""

import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import override_settings

from cachelab.cache_config import build_caches
from ops.services import Service
from sandbox.catalogue import CACHE_BACKENDS, NAMES
from tests.sandbox.helpers import last, run

pytestmark = pytest.mark.django_db

RECOVERY_WAIT_SECONDS = 10


@pytest.fixture
def own_servers(own_server) -> Iterator[dict[str, Service]]:
    """A throwaway Redis and Memcached behind the sandbox aliases only (the site cache and
    sessions keep using the suite's servers)."""
    servers = {"redis": own_server("redis"), "memcached": own_server("memcached")}
    own = build_caches(f"redis://{servers['redis'].address}/0", [servers["memcached"].address])
    sandbox_caches = {backend.alias: own[backend.alias] for backend in CACHE_BACKENDS}
    with override_settings(CACHES={**settings.CACHES, **sandbox_caches}):
        yield servers


def values_until_recovered(code: str, backend: str) -> list:
    """Run `code` until `backend` answers without being down; every answer on the way."""
    answers = []
    deadline = time.monotonic() + RECOVERY_WAIT_SECONDS
    while time.monotonic() < deadline:
        outcome = last(run(code, backends=[backend]), backend)
        answers.append(outcome)
        if not outcome.down:
            break
        time.sleep(0.2)
    return answers


def test_a_stopped_redis_is_named_plainly_and_the_others_still_answer(own_servers) -> None:
    own_servers["redis"].stop()
    result = run("cache.set('k', 'v')\ncache.get('k')")
    address = own_servers["redis"].address
    for name in ("redis", "django-redis"):
        first, second = (line.outcomes[name] for line in result.lines)
        assert first.down and first.error == (
            f"Redis at {address} refused the connection: is redis-server running?"
        )
        assert second.error.startswith("Skipped: Redis at")
    assert last(result, "locmem").value == last(result, "memcached").value == "'v'"


def test_a_stopped_memcached_is_named_plainly_and_never_reads_as_a_miss(own_servers) -> None:
    run("cache.set('k', 'v')", backends=["memcached"])
    own_servers["memcached"].stop()
    result = run("cache.get('k')\ncache.get('k')")
    outcomes = [line.outcomes["memcached"] for line in result.lines]
    assert all(outcome.down and outcome.value is None for outcome in outcomes)
    assert outcomes[0].error == (
        f"Memcached at {own_servers['memcached'].address} refused the connection: "
        "is memcached running?"
    )
    assert {last(result, name).value for name in ("locmem", "redis", "django-redis")} == {"None"}


@pytest.mark.parametrize("backends", [("redis", "django-redis"), ("memcached",)])
def test_a_restarted_server_is_used_again_without_intervention(
    own_servers, backends: tuple[str, ...]
) -> None:
    service = own_servers["memcached" if "memcached" in backends else "redis"]
    service.stop()
    assert all(last(run("cache.get('k')", backends=backends), name).down for name in backends)
    service.start()
    for name in backends:
        answers = values_until_recovered("cache.set('k', 'back')\ncache.get('k')", name)
        assert answers[-1].value == "'back'"
        # On the way back an answer is either "down" or the truth, never a silent miss.
        assert all(answer.down or answer.value == "'back'" for answer in answers)


def test_every_backend_answers_when_all_servers_are_up(own_servers) -> None:
    result = run("cache.set('k', 1)\ncache.get('k')")
    assert {last(result, name).value for name in NAMES} == {"1"}


def test_a_kept_memcached_connection_is_renewed_after_a_restart(own_servers) -> None:
    run("cache.set('k', 'v')", backends=["memcached"])
    own_servers["memcached"].restart()
    result = run("cache.set('k', 'back')\ncache.get('k')", backends=["memcached"])
    assert [line.outcomes["memcached"].value for line in result.lines] == ["None", "'back'"]
