"""A full cache server: what memcached and Redis keep when more is written than fits.

The experiment starts its own small servers on free ports (the site's are never filled): a
memcached with `-m SERVER_MEMORY_MB`, and a Redis with `maxmemory` of the same size, first
under `allkeys-lru`, then, emptied, under `noeviction` (Redis's default policy). Through
Django's PyMemcacheCache and RedisCache it writes `values` values of VALUE_BYTES each, in
order, then reads every key back once. The figures: how many writes the server refused, how
many values are still there and which ones (by the order they were written), the server's own
eviction counter and memory use, and for memcached the slab class the values went into.
"""

import uuid
from dataclasses import dataclass
from typing import Any

import redis
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.memcached import PyMemcacheCache
from django.core.cache.backends.redis import RedisCache

from lab.own_servers import MEMORY_MB as SERVER_MEMORY_MB
from lab.own_servers import own_servers
from lab.server_stats import ServerStats, memcached_stats, redis_stats

VALUE_BYTES = 10_000
BUCKETS = 20  # the written keys in this many groups, oldest first, for the survival strip
TIMEOUT = 600


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    short: str  # the chart's row label
    policy: str


TARGETS = (
    Target("memcached", f"memcached -m {SERVER_MEMORY_MB}", "memcached", ""),
    Target(
        "redis-lru", f"Redis maxmemory {SERVER_MEMORY_MB}mb", "Redis allkeys-lru", "allkeys-lru"
    ),
    Target(
        "redis-noeviction",
        f"Redis maxmemory {SERVER_MEMORY_MB}mb",
        "Redis noeviction",
        "noeviction",
    ),
)


def fill(cache: BaseCache, keys: list[str]) -> tuple[int, str]:
    """Write every key in order; the writes refused, and the last refusal's error."""
    value = "x" * VALUE_BYTES
    refused, error = 0, ""
    for key in keys:
        try:
            cache.set(key, value, TIMEOUT)
        except Exception as raised:  # Redis under noeviction: OutOfMemoryError
            refused += 1
            error = f"{type(raised).__name__}: {raised}"
    return refused, error


def survival(keys: list[str], kept: set[str]) -> list[float]:
    """The share of keys kept in each of BUCKETS groups, oldest writes first."""
    size = max(1, -(-len(keys) // BUCKETS))
    groups = [keys[start : start + size] for start in range(0, len(keys), size)]
    return [round(sum(key in kept for key in group) / len(group), 3) for group in groups]


def measure(target: Target, cache: BaseCache, stats: ServerStats, keys: list[str]) -> dict:
    refused, error = fill(cache, keys)
    kept = set(cache.get_many(keys))
    after = stats_again(stats)
    slab = after.slab_classes[0] if after.slab_classes else {}
    return {
        "target": target.name,
        "label": target.label,
        "short": target.short,
        "policy": after.policy,
        "written": len(keys),
        "refused": refused,
        "refusal": error,
        "kept": len(kept),
        "evictions": after.evictions,
        "used_bytes": after.used_bytes,
        "limit_bytes": after.limit_bytes,
        "first_kept": next((n for n, key in enumerate(keys) if key in kept), None),
        "survival": survival(keys, kept),
        "chunk_size": slab.get("chunk_size"),
        "chunks_per_page": slab.get("chunks_per_page"),
    }


def stats_again(stats: ServerStats) -> ServerStats:
    if stats.kind == "Redis":
        return redis_stats(f"redis://{stats.address}/0")
    return memcached_stats(stats.address)


def full_cache(values: int) -> dict[str, Any]:
    keys = [f"lab:full:{uuid.uuid4().hex[:8]}:{number}" for number in range(values)]
    rows = []
    with own_servers("memcached", "redis") as (memcached, server):
        url = f"redis://{server.address}/0"
        raw = redis.Redis.from_url(url)
        try:
            for target in TARGETS:
                if target.name == "memcached":
                    cache: BaseCache = PyMemcacheCache(memcached.address, {})
                    before = memcached_stats(memcached.address)
                else:
                    raw.flushall()  # this experiment's own server: nobody else's keys
                    raw.config_set("maxmemory-policy", target.policy)
                    raw.config_resetstat()
                    cache = RedisCache(url, {})
                    before = redis_stats(url)
                try:
                    rows.append(measure(target, cache, before, keys))
                finally:
                    cache.close()
        finally:
            raw.close()
    return {
        "values": values,
        "value_bytes": VALUE_BYTES,
        "memory_mb": SERVER_MEMORY_MB,
        "rows": rows,
    }
