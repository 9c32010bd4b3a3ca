"""Running cache servers: what pymemcache 4.0's HashClient, under Django's PyMemcacheCache, does
while one memcached of two fails, step by step against two real servers (one stopped, or
paused as an unreachable server would be)."""

import inspect
import os
import re
import signal
import threading
import time
from contextlib import suppress

import pytest
from django.core.cache import caches
from django.core.cache.backends.memcached import PyMemcacheCache
from pymemcache.client.base import Client
from pymemcache.client.hash import HashClient
from pymemcache.exceptions import MemcacheUnexpectedCloseError

from cachelab.cache_config import SERVER_TIMEOUT, pymemcache_options
from lab.failover import CONFIGS
from tests.lessons.lesson_code import prose_of
from tests.waiting import wait_for

SLUG = "running-cache-servers"
SECTION = "One memcached of several fails"
TIMEOUTS = {"connect_timeout": SERVER_TIMEOUT, "timeout": SERVER_TIMEOUT}


@pytest.fixture
def two_servers(own_server):
    return own_server("memcached"), own_server("memcached")


def client_of(servers, **options) -> PyMemcacheCache:
    return PyMemcacheCache([server.address for server in servers], {"OPTIONS": TIMEOUTS | options})


def node_of(cache: PyMemcacheCache, key: str) -> str:
    return cache._cache.hasher.get_node(cache.make_and_validate_key(key))


def key_on(cache: PyMemcacheCache, server) -> str:
    return next(f"k{n}" for n in range(1000) if node_of(cache, f"k{n}") == server.address)


def holds(server, cache: PyMemcacheCache, key: str) -> bool:
    client = Client(server.address, **TIMEOUTS)
    try:
        return client.get(cache.make_and_validate_key(key)) is not None
    finally:
        client.close()


def test_the_defaults_the_lesson_and_the_lab_name_are_pymemcaches_own() -> None:
    defaults = {
        name: parameter.default
        for name, parameter in inspect.signature(HashClient.__init__).parameters.items()
    }
    assert (defaults["retry_attempts"], defaults["retry_timeout"]) == (2, 1)
    assert (defaults["dead_timeout"], defaults["ignore_exc"]) == (60, False)
    assert defaults["connect_timeout"] is None and defaults["timeout"] is None  # wait forever
    text = prose_of(SLUG, SECTION)
    assert "(2 by default)" in text and "(1 by default)" in text and "(60 by default)" in text
    assert "retry_attempts=2, retry_timeout=1, dead_timeout=60" in CONFIGS[0].label


def test_the_sites_settings_are_the_ones_the_lesson_and_the_lab_quote() -> None:
    options = pymemcache_options()
    quoted = ", ".join(f"{name}={options[name]}" for name in
                       ("retry_attempts", "retry_timeout", "dead_timeout"))  # fmt: skip
    assert quoted in CONFIGS[2].label
    text = prose_of(SLUG, SECTION)
    assert f"`connect_timeout` and `timeout` of {options['timeout']:g} s" in text
    for name in ("retry_attempts", "retry_timeout", "dead_timeout"):
        assert f"`{name}={options[name]}`" in text


def test_a_failed_server_raises_then_misses_silently_then_its_keys_move(two_servers) -> None:
    a, b = two_servers
    cache = client_of(two_servers)  # pymemcache's retry_attempts=2, retry_timeout=1
    key = key_on(cache, b)
    b.stop()
    with pytest.raises(ConnectionRefusedError):
        cache.get(key)
    assert cache.get(key) is None  # within retry_timeout: not tried, no error
    cache.set(key, "new")  # stores nothing, no error either
    assert not holds(a, cache, key)
    for _ in range(2):  # retry_attempts retries, each after retry_timeout, fail and raise
        time.sleep(1.05)
        with pytest.raises(ConnectionRefusedError):
            cache.get(key)
        assert node_of(cache, key) == b.address
    with pytest.raises(ConnectionRefusedError):  # the next call takes B out, and fails too
        cache.get(key)
    assert node_of(cache, key) == a.address
    assert cache.get(key) is None  # a miss on A
    cache.set(key, "new")
    assert holds(a, cache, key) and cache.get(key) == "new"


def test_a_server_stopped_under_an_open_connection_fails_as_a_cut_connection(two_servers):
    b = two_servers[1]
    cache = client_of(two_servers)
    key = key_on(cache, b)
    cache.set(key, "old")  # the client's connection to B is open now
    b.stop()
    with pytest.raises(MemcacheUnexpectedCloseError):
        cache.get(key)


def test_with_ignore_exc_every_failure_is_a_miss(two_servers) -> None:
    a, b = two_servers
    cache = client_of(two_servers, ignore_exc=True)
    key = key_on(cache, b)
    b.stop()
    assert cache.get(key) is None
    cache.set(key, "new")
    assert not holds(a, cache, key)


def test_django_keeps_one_cache_object_and_so_one_failure_state_per_thread() -> None:
    here = caches["sandbox-memcached"]
    there = []
    thread = threading.Thread(target=lambda: there.append(caches["sandbox-memcached"]))
    thread.start()
    thread.join()
    assert there[0] is not here and there[0]._cache is not here._cache


def test_a_server_that_was_only_unreachable_comes_back_with_its_old_value(two_servers) -> None:
    a, b = two_servers
    fast = {"retry_attempts": 1, "retry_timeout": 0.2, "dead_timeout": 3}
    cache = client_of(two_servers, **fast)
    key = key_on(cache, b)
    cache.set(key, "old")
    os.kill(b.process.pid, signal.SIGSTOP)  # B keeps its memory but answers nothing
    try:

        def moved_to_a() -> bool:
            with suppress(Exception):  # the timeouts raise while B is still in the ring
                cache.get(key)
            return node_of(cache, key) == a.address

        assert wait_for(moved_to_a, 10)
        cache.set(key, "new")  # the update lands on A
        assert cache.get(key) == "new"
    finally:
        os.kill(b.process.pid, signal.SIGCONT)

    def back_on_b() -> bool:
        try:
            return cache.get(key) == "old"
        except Exception:
            return False

    assert wait_for(back_on_b, 10)  # B is back in the ring: the old value is served
    assert holds(a, cache, key)  # while the update still sits on A


def test_the_lesson_quotes_the_first_error_a_stopped_server_gives() -> None:
    assert re.search(r"`ConnectionRefusedError`", prose_of(SLUG, SECTION))
