"""Per-operation cost: each backend of the catalogue through Django's cache API, against the
raw client (redis-py, pymemcache) on the same server."""

import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import redis
from django.core.cache import CacheHandler
from pymemcache.client.base import Client as MemcacheClient

from cachelab.cache_config import build_caches
from sandbox.catalogue import CACHE_BACKENDS

VALUE = "x" * 100  # a small cached value, as most cache entries are
RAW_CLIENT_OF = {
    "locmem": None,
    "redis": "redis",
    "django-redis": "redis",
    "memcached": "memcached",
}


def median_us(operation: Callable[[], Any], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter_ns()
        operation()
        timings.append(time.perf_counter_ns() - started)
    return round(statistics.median(timings) / 1000, 1)


def raw_clients(redis_url: str, memcached: str) -> dict[str, Any]:
    host, _, port = memcached.rpartition(":")
    return {
        "redis": redis.Redis.from_url(redis_url),
        "memcached": MemcacheClient((host, int(port)), no_delay=True, default_noreply=False),
    }


def operation(client: Any, op: str, key: str) -> Callable[[], Any]:
    """Django's caches and both raw clients share set(key, value) and get(key)."""
    return partial(client.set, key, VALUE) if op == "set" else partial(client.get, key)


def cache_operations(redis_url: str, memcached: str, repeats: int) -> list[dict[str, Any]]:
    handler = CacheHandler(build_caches(redis_url, [memcached]))
    raw = raw_clients(redis_url, memcached)
    rows = []
    for backend in CACHE_BACKENDS:
        cache = handler[backend.alias]
        raw_name = RAW_CLIENT_OF[backend.name]
        client = raw[raw_name] if raw_name else None
        key = f"bench:{backend.name}"
        for op in ("set", "get"):
            row: dict[str, Any] = {
                "backend": backend.name,
                "op": op,
                "django_us": median_us(operation(cache, op, key), repeats),
            }
            if client is not None:
                row["raw_client"] = type(client).__module__.split(".")[0]
                row["raw_us"] = median_us(operation(client, op, key), repeats)
                row["ratio"] = round(row["django_us"] / row["raw_us"], 2)
            rows.append(row)
    handler.close_all()
    return rows
