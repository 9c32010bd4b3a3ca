"""The wire, captured at the clients' own sockets against the suite's real Redis and
Memcached: the commands each backend sends, its round trips and bytes, the sandbox's own
commands kept apart."""

import pickle
import threading

import pytest
import redis
from django.core.cache import caches

from sandbox import wire
from sandbox.catalogue import backend_named


def cache_of(name: str):
    return caches[backend_named(name).alias]


def captured(cache, method: str, *args, **kwargs) -> wire.Wire:
    with wire.capture() as capture:
        getattr(cache, method)(*args, **kwargs)
    return capture.wire()


def warmed(name: str):
    """The backend's cache with its connection open, so no handshake shows in a capture."""
    cache = cache_of(name)
    cache.has_key("warm-up")
    return cache


def test_builtin_redis_incr_is_exists_then_incrby_in_two_round_trips():
    cache = warmed("redis")
    cache.set("n", 1)
    key = cache.make_key("n")

    seen = captured(cache, "incr", "n")

    assert seen.commands == [f"EXISTS {key}", f"INCRBY {key} 1"]
    assert seen.round_trips == 2


def test_django_redis_incr_is_one_eval_of_a_script():
    cache = warmed("django-redis")
    cache.set("n", 1)

    seen = captured(cache, "incr", "n")

    assert len(seen.commands) == 1
    assert seen.commands[0].startswith("EVAL <script, ")
    assert seen.commands[0].endswith(f" 1 {cache.make_key('n')} 1")
    assert seen.round_trips == 1


def test_builtin_redis_sets_expiry_in_seconds_django_redis_in_milliseconds():
    builtin, django_redis = warmed("redis"), warmed("django-redis")

    ex = captured(builtin, "set", "greeting", "hello", timeout=300)
    px = captured(django_redis, "set", "greeting", "hello", timeout=300)

    assert ex.commands == [f"SET {builtin.make_key('greeting')} <pickle, 20 bytes> EX 300"]
    assert px.commands == [f"SET {django_redis.make_key('greeting')} <pickle, 20 bytes> PX 300000"]


def test_set_many_is_mset_and_expire_in_a_transaction_on_builtin_redis():
    cache = warmed("redis")
    a, b = cache.make_key("a"), cache.make_key("b")

    seen = captured(cache, "set_many", {"a": 1, "b": "x"}, timeout=60)

    assert seen.commands == [
        "MULTI",
        f"MSET {a} 1 {b} <pickle, 16 bytes>",
        f"EXPIRE {a} 60",
        f"EXPIRE {b} 60",
        "EXEC",
    ]
    assert seen.round_trips == 1


def test_set_many_is_one_set_px_per_key_in_a_transaction_on_django_redis():
    cache = warmed("django-redis")
    a, b = cache.make_key("a"), cache.make_key("b")

    seen = captured(cache, "set_many", {"a": 1, "b": "x"}, timeout=60)

    assert seen.commands == [
        "MULTI",
        f"SET {a} 1 PX 60000",
        f"SET {b} <pickle, 16 bytes> PX 60000",
        "EXEC",
    ]
    assert seen.round_trips == 1


@pytest.mark.parametrize(
    ("value", "flags", "shown"),
    [
        (2, 2, "data 2 · flags 2: an int, sent as its digits"),
        (1.5, 1, "data <pickle, 21 bytes> · flags 1: a pickle"),
        (True, 1, "data <pickle, 4 bytes> · flags 1: a pickle"),
        ("hello", 16, "data hello · flags 16: a str, sent as UTF-8"),
    ],
)
def test_memcached_flags_say_how_the_value_was_serialized(value, flags, shown):
    cache = warmed("memcached")
    key = cache.make_key("n")
    sent = pickle.dumps(value, pickle.HIGHEST_PROTOCOL) if flags == 1 else str(value).encode()

    seen = captured(cache, "set", "n", value, timeout=300)

    assert seen.commands == [f"set {key} {flags} 300 {len(sent)} · {shown}"]
    assert cache.get("n") == value


def test_get_many_is_one_mget_on_redis_and_one_get_on_memcached():
    for name in ("redis", "django-redis"):
        cache = warmed(name)
        seen = captured(cache, "get_many", ["a", "b"])
        assert seen.commands == [f"MGET {cache.make_key('a')} {cache.make_key('b')}"]
        assert seen.round_trips == 1
    cache = warmed("memcached")
    seen = captured(cache, "get_many", ["a", "b"])
    assert seen.commands == [f"get {cache.make_key('a')} {cache.make_key('b')}"]
    assert seen.round_trips == 1


def test_bytes_are_counted_as_they_cross_the_socket():
    cache = warmed("redis")
    key = cache.make_key("n").encode()
    resp = b"*5\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\n7\r\n$2\r\nEX\r\n$2\r\n60\r\n" % (len(key), key)

    seen = captured(cache, "set", "n", 7, timeout=60)

    assert seen.bytes_sent == len(resp)
    assert seen.bytes_received == len(b"+OK\r\n")


def redis_client(cache) -> redis.Redis:
    if hasattr(cache, "client"):  # django-redis
        return cache.client.get_client(write=True)
    return cache._cache.get_client(write=True)


@pytest.mark.parametrize("name", ["redis", "django-redis"])
def test_a_new_connections_handshake_is_labelled_and_not_counted_as_the_call(name):
    cache = warmed(name)
    redis_client(cache).connection_pool.disconnect()  # the next call opens a new connection

    seen = captured(cache, "get", "greeting")

    assert seen.commands == [f"GET {cache.make_key('greeting')}"]
    assert seen.round_trips == 1
    assert "handshake: CLIENT SETINFO LIB-NAME redis-py" in seen.sandbox_commands
    assert seen.sandbox_round_trips == len(seen.sandbox_commands)


def test_the_sandboxs_own_commands_are_kept_apart_under_their_label():
    cache = warmed("memcached")
    key = cache.make_key("n")
    with wire.capture() as capture:
        cache.set("n", 1)
        with capture.sandbox("read-back"):
            cache.get("n")
        capture.mark_sandbox("inspection")
        cache.has_key("n")
    seen = capture.wire()

    assert seen.commands == [f"set {key} 2 300 1 · data 1 · flags 2: an int, sent as its digits"]
    assert seen.round_trips == 1
    assert seen.sandbox_commands == [f"read-back: get {key}", f"inspection: get {key}"]
    assert seen.sandbox_round_trips == 2


def server_commands(name: str) -> int:
    """Commands the Redis server has processed so far, asked on a connection of our own."""
    client = redis.Redis(connection_pool=redis_client(cache_of(name)).connection_pool)
    return client.info("stats")["total_commands_processed"]


def test_capturing_sends_nothing_the_server_would_count():
    cache = warmed("django-redis")
    before = server_commands("django-redis")
    cache.set_many({"a": 1, "b": 2})
    plain = server_commands("django-redis") - before - 1  # INFO counts itself

    before = server_commands("django-redis")
    seen = captured(cache, "set_many", {"a": 1, "b": 2})
    while_capturing = server_commands("django-redis") - before - 1

    assert while_capturing == plain == len(seen.commands)


def test_concurrent_captures_each_see_only_their_own_calls():
    cache = warmed("redis")
    seen: dict[str, list[str]] = {}
    start = threading.Barrier(4)

    def learner(name: str) -> None:
        start.wait()
        with wire.capture() as capture:
            for _ in range(20):
                cache.get(name)
        seen[name] = capture.wire().commands

    threads = [threading.Thread(target=learner, args=(f"key-{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for name, commands in seen.items():
        assert commands == [f"GET {cache.make_key(name)}"] * 20


def test_nothing_is_recorded_outside_a_capture():
    cache = warmed("memcached")
    cache.set("before", 1)
    with wire.capture() as capture:
        pass
    cache.set("after", 1)

    assert capture.wire() == wire.Wire()


def test_locmem_has_no_wire_and_says_what_it_pickled_instead():
    cache = cache_of("locmem")
    cache.set("greeting", "hello")

    seen = wire.locmem_wire(cache, "set", [cache.make_key("greeting")])

    assert seen.round_trips == 0
    assert seen.commands == []
    size = len(pickle.dumps("hello", pickle.HIGHEST_PROTOCOL))
    assert f"it holds {size} bytes" in seen.instead
    assert seen.as_dict()["instead"].startswith("No network: pickled")
