"""The stampede experiment: N requests miss the same cold key of the slow report at once.

Each of N threads (each with its own database connection, as N app server workers would
have) waits at a barrier, then fetches the report through one strategy on one backend:

- get-then-set: plain cache-aside; every request that misses rebuilds.
- get_or_set: Django's `get_or_set` is get, then `default()`, then `add()`, then get: every
  request that misses at the same moment still calls `default()`.
- add() guard: the first request to `add()` a guard key rebuilds; the others wait for the
  value. `add()` is atomic on each backend (within one process for LocMem).
- lock(): django-redis's `cache.lock()` (a redis-py Lock), checking the cache again inside.

The figures are how many times the report was rebuilt, the database queries of all the
requests together and the slowest request's time.
"""

import statistics
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connection
from redis.exceptions import LockError

from lab.metering import Meter
from lab.report import REPORT_QUERIES, REPORT_TIMEOUT, build_report
from sandbox.catalogue import CACHE_BACKENDS

GUARD_SECONDS = 10  # a crashed rebuilder frees the guard after this long
WAIT_SECONDS = 5.0  # how long a request waits for another's rebuild before doing it itself
POLL_SECONDS = 0.005
BARRIER_SECONDS = 10.0

Build = Callable[[], dict[str, Any]]


def get_then_set(cache: BaseCache, key: str, build: Build) -> dict[str, Any]:
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, REPORT_TIMEOUT)
    return value


def get_or_set(cache: BaseCache, key: str, build: Build) -> dict[str, Any]:
    return cache.get_or_set(key, build, REPORT_TIMEOUT)


def wait_for_value(cache: BaseCache, key: str, build: Build) -> dict[str, Any]:
    """Poll for the value another request is building; build it after WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        value = cache.get(key)
        if value is not None:
            return value
    return build()


def add_guard(cache: BaseCache, key: str, build: Build) -> dict[str, Any]:
    value = cache.get(key)
    if value is not None:
        return value
    guard = f"{key}:rebuilding"
    if not cache.add(guard, 1, GUARD_SECONDS):
        return wait_for_value(cache, key, build)
    try:
        value = cache.get(key)  # built and stored since this request's miss?
        if value is None:
            value = build()
            cache.set(key, value, REPORT_TIMEOUT)
    finally:
        cache.delete(guard)
    return value


def redis_lock(cache: BaseCache, key: str, build: Build) -> dict[str, Any]:
    value = cache.get(key)
    if value is not None:
        return value
    lock = cache.lock(f"{key}:lock", timeout=GUARD_SECONDS, sleep=POLL_SECONDS,
                      blocking_timeout=WAIT_SECONDS)  # fmt: skip
    try:
        with lock:
            value = cache.get(key)  # built while this request waited for the lock?
            if value is None:
                value = build()
                cache.set(key, value, REPORT_TIMEOUT)
    except LockError:
        value = build()
    return value


@dataclass(frozen=True)
class Strategy:
    name: str
    label: str
    fetch: Callable[[BaseCache, str, Build], dict[str, Any]]
    backends: tuple[str, ...] = tuple(backend.name for backend in CACHE_BACKENDS)


STRATEGIES = (
    Strategy("get-then-set", "get, then set", get_then_set),
    Strategy("get_or_set", "get_or_set()", get_or_set),
    Strategy("add-guard", "add() guard", add_guard),
    Strategy("lock", "lock()", redis_lock, backends=("django-redis",)),
)


@dataclass
class Rebuilds:
    count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def counted(self, build: Build) -> Build:
        def counted_build() -> dict[str, Any]:
            with self.lock:
                self.count += 1
            return build()

        return counted_build


def one_request(
    strategy: Strategy, alias: str, key: str, build: Build, barrier: threading.Barrier
) -> tuple[float, int]:
    """One request's time (ms) and database queries, on this thread's own database and cache
    connections (Django's cache objects are per thread: a client is not shared)."""
    cache = caches[alias]
    try:
        barrier.wait(BARRIER_SECONDS)
        meter = Meter()
        with meter.counting_queries():
            strategy.fetch(cache, key, build)
        return meter.total_ms, meter.queries
    finally:
        cache.close()
        connection.close()


def stampede(
    strategy: Strategy, alias: str, requests: int, build: Build = build_report
) -> dict[str, Any]:
    """`requests` threads miss the same cold key at once; each miss may call `build`."""
    key = f"lab:stampede:{uuid.uuid4().hex}"
    rebuilds = Rebuilds()
    build = rebuilds.counted(build)
    barrier = threading.Barrier(requests)
    try:
        with ThreadPoolExecutor(max_workers=requests) as pool:
            futures = [
                pool.submit(one_request, strategy, alias, key, build, barrier)
                for _ in range(requests)
            ]
            timings = [future.result() for future in futures]
    finally:
        caches[alias].delete_many([key, f"{key}:rebuilding", f"{key}:lock"])
    times = [ms for ms, _ in timings]
    return {
        "rebuilt": rebuilds.count,
        "queries": sum(queries for _, queries in timings),
        "slowest_ms": round(max(times), 1),
        "median_ms": round(statistics.median(times), 1),
    }


def stampedes(requests: int) -> dict[str, Any]:
    """Every strategy on every backend it applies to, one after the other."""
    rows = [
        {"backend": backend.name, "strategy": strategy.name}
        | stampede(strategy, backend.alias, requests)
        for backend in CACHE_BACKENDS
        for strategy in STRATEGIES
        if backend.name in strategy.backends
    ]
    return {"requests": requests, "report_queries": REPORT_QUERIES, "rows": rows}
