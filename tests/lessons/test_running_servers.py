"""Running cache servers: what the lesson says about sizing, counters, connection pools and
Redis Cluster, checked against servers started for the test on their own defaults (redis-server
7, memcached 1.6), redis-py 8.1, django-redis 7.0 and Django 5.2."""

import resource
import threading
import time

import pytest
import redis
from django.core.cache.backends.memcached import PyMemcacheCache
from django.core.cache.backends.redis import RedisCache
from django_redis.cache import RedisCache as DjangoRedisCache
from pymemcache.client.base import Client as MemcacheClient
from pymemcache.client.base import PooledClient
from pymemcache.exceptions import MemcacheServerError

from tests.lessons.lesson_code import prose_of

SLUG = "running-cache-servers"
MB = 1024 * 1024
POLICIES = ("noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru",
            "volatile-lfu", "volatile-random", "volatile-ttl")  # fmt: skip


def memcached_settings(service) -> dict:
    client = MemcacheClient(service.address)
    try:
        return client.stats("settings")
    finally:
        client.close()


def redis_of(service) -> redis.Redis:
    return redis.Redis(port=service.port, decode_responses=True)


def test_memcached_on_its_defaults_holds_64_mb_in_1_mb_items_at_most(plain_server) -> None:
    defaults = memcached_settings(plain_server("memcached"))
    assert defaults[b"maxbytes"] == 64 * MB
    assert defaults[b"item_size_max"] == 1 * MB
    assert defaults[b"growth_factor"] == 1.25
    assert defaults[b"evictions"] == b"on"
    assert defaults[b"slab_automove"]  # pages move between slab classes
    assert defaults[b"maxconns"] == 1024


def test_an_item_goes_into_the_smallest_chunk_that_fits_it(plain_server) -> None:
    server = plain_server("memcached")
    cache = PyMemcacheCache(server.address, {})
    cache.set("page", "x" * 10_000)
    client = MemcacheClient(server.address)
    try:
        used = [
            int(name.split(b":")[0])
            for name, value in client.stats("slabs").items()
            if name.endswith(b":used_chunks") and value
        ]
        slabs = client.stats("slabs")
    finally:
        client.close()
    assert len(used) == 1
    chunk = slabs[f"{used[0]}:chunk_size".encode()]
    per_page = slabs[f"{used[0]}:chunks_per_page".encode()]
    assert 10_000 < chunk < 10_000 * 1.25 * 1.25  # the next class up would be another 25%
    assert 0.9 * MB < chunk * per_page <= 1 * MB  # chunks cut from a 1 MB page


def test_memcached_started_with_big_m_refuses_writes_when_full(plain_server) -> None:
    cache = PyMemcacheCache(plain_server("memcached", "-m", "2", "-M").address, {})
    with pytest.raises(MemcacheServerError, match="out of memory storing object"):
        for number in range(1000):  # 10 MB into 2
            cache.set(f"page:{number}", "x" * 10_000)


def test_redis_on_its_defaults_has_no_memory_limit_and_the_noeviction_policy(plain_server):
    server = redis_of(plain_server("redis"))
    assert server.config_get("maxmemory") == {"maxmemory": "0"}
    assert server.config_get("maxmemory-policy") == {"maxmemory-policy": "noeviction"}
    assert server.config_get("maxmemory-samples") == {"maxmemory-samples": "5"}
    soft_limit, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    maxclients = int(server.config_get("maxclients")["maxclients"])
    assert maxclients == 10_000 if soft_limit >= 10_032 else maxclients < 10_000
    for policy in POLICIES:  # every policy the lesson's table names is one Redis accepts
        assert server.config_set("maxmemory-policy", policy)


def test_a_redis_with_all_its_clients_turns_a_new_connection_away(plain_server) -> None:
    service = plain_server("redis", "--maxclients", "1")
    holder = redis_of(service)
    holder.ping()
    try:
        with pytest.raises(redis.ConnectionError, match="max number of clients reached"):
            RedisCache(f"redis://{service.address}/0", {}).get("k")
    finally:
        holder.close()


def test_the_lessons_policy_table_names_every_policy() -> None:
    table = prose_of(SLUG, "Sizing Redis: `maxmemory` and the policies")
    assert all(f"`{policy}`" in table for policy in POLICIES)


def test_a_full_redis_under_noeviction_makes_djangos_set_raise_out_of_memory(plain_server):
    server = plain_server("redis", "--maxmemory", "2mb", "--maxmemory-policy", "noeviction")
    cache = RedisCache(f"redis://{server.address}/0", {})
    with pytest.raises(redis.exceptions.OutOfMemoryError):
        for number in range(1000):
            cache.set(f"page:{number}", "x" * 10_000)
    assert cache.get("page:0") == "x" * 10_000  # the oldest values stay


def keyspace(server: redis.Redis) -> tuple[int, int]:
    stats = server.info("stats")
    return stats["keyspace_hits"], stats["keyspace_misses"]


def test_every_redis_lookup_counts_a_hit_or_a_miss_and_a_default_is_still_a_miss(plain_server):
    service = plain_server("redis")
    server = redis_of(service)
    builtin = RedisCache(f"redis://{service.address}/0", {})
    django_redis = DjangoRedisCache(f"redis://{service.address}/0", {})
    builtin.set("visits:home", 1)
    server.config_resetstat()
    assert keyspace(server) == (0, 0)
    builtin.get("visits:home")
    builtin.get("visits:about")
    assert builtin.get("visits:about", 0) == 0
    assert keyspace(server) == (1, 2)
    builtin.get_many(["visits:home", "visits:about", "visits:faq"])  # one MGET
    assert keyspace(server) == (2, 4)
    django_redis.has_key("visits:home")  # EXISTS
    server.ttl(builtin.make_key("visits:home"))
    assert keyspace(server) == (4, 4)


def test_memcached_counts_each_key_of_a_multi_get_and_a_default_is_still_a_miss(plain_server):
    service = plain_server("memcached")
    cache = PyMemcacheCache(service.address, {})
    cache.set("visits:home", 1)
    cache.get("visits:home")
    assert cache.get("visits:about", 0) == 0
    cache.get_many(["visits:home", "visits:about", "visits:faq"])
    client = MemcacheClient(service.address)
    try:
        stats = client.stats()
    finally:
        client.close()
    assert (stats[b"get_hits"], stats[b"get_misses"]) == (2, 3)


def in_another_thread(make):
    made = []
    thread = threading.Thread(target=lambda: made.append(make()))
    thread.start()
    thread.join()
    return made[0]


def test_djangos_redis_backend_has_a_pool_per_cache_object_django_redis_one_per_process(
    redis_server,
) -> None:
    url = f"redis://{redis_server.address}/0"

    def builtin_pool():
        return RedisCache(url, {})._cache._get_connection_pool(write=True)

    def django_redis_pool():
        return DjangoRedisCache(url, {}).client.get_client(write=True).connection_pool

    assert builtin_pool() is not in_another_thread(builtin_pool)
    assert django_redis_pool() is in_another_thread(django_redis_pool)


def test_a_redis_py_pool_holds_100_connections_unless_told_and_the_options_reach_it(
    redis_server,
) -> None:
    url = f"redis://{redis_server.address}/0"
    assert redis.ConnectionPool().max_connections == 100
    builtin = RedisCache(url, {"OPTIONS": {"max_connections": 20}})
    assert builtin._cache._get_connection_pool(write=True).max_connections == 20
    pooled = {"CONNECTION_POOL_KWARGS": {"max_connections": 50}}
    django_redis = DjangoRedisCache(url.replace("/0", "/3"), {"OPTIONS": pooled})
    assert django_redis.client.get_client(write=True).connection_pool.max_connections == 50


def test_one_connection_more_than_the_pool_holds_fails_at_once(redis_server) -> None:
    url = f"redis://{redis_server.address}"
    builtin = RedisCache(f"{url}/4", {"OPTIONS": {"max_connections": 1}})
    options = {"CONNECTION_POOL_KWARGS": {"max_connections": 1}}
    django_redis = DjangoRedisCache(f"{url}/5", {"OPTIONS": options})
    pools = {
        builtin: builtin._cache._get_connection_pool(write=False),
        django_redis: django_redis.client.get_client(write=False).connection_pool,
    }
    for cache, pool in pools.items():
        held = pool.get_connection()
        started = time.monotonic()
        try:
            with pytest.raises(redis.exceptions.MaxConnectionsError, match="Too many connections"):
                cache.get("k")
        finally:
            pool.release(held)
        assert time.monotonic() - started < 1  # no waiting for a free connection
    assert issubclass(redis.exceptions.MaxConnectionsError, redis.ConnectionError)


def test_pymemcache_keeps_one_connection_per_server_or_a_pool_when_asked(own_server) -> None:
    servers = [own_server("memcached").address, own_server("memcached").address]
    plain = PyMemcacheCache(servers, {})
    pooled = PyMemcacheCache(servers, {"OPTIONS": {"use_pooling": True, "max_pool_size": 4}})
    assert len(plain._cache.clients) == 2
    assert all(type(client) is MemcacheClient for client in plain._cache.clients.values())
    assert all(isinstance(client, PooledClient) for client in pooled._cache.clients.values())
    assert all(client.client_pool.max_size == 4 for client in pooled._cache.clients.values())
