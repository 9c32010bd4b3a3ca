"""The experiments a learner runs from /lab/: bounded in size, one at a time per learner.

Every figure here is measured on this server while the learner waits: nothing is
simulated except the app servers of the K-servers experiment, which are K separate
LocMemCache stores in this one process (exactly what K gunicorn workers would each have).
"""

import math
import random
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import Count, Sum
from django.template.loader import render_to_string

from lab.failover import failover
from lab.full_cache import full_cache
from lab.metering import Meter, elapsed_ms
from lab.models import OrderLine, Product
from lab.page_cache import cache_page_leak
from lab.race import races
from lab.report import BACKENDS, DEFAULT_BACKEND, REPORT_QUERIES, fetch_report, forget_report
from lab.stampede import stampedes
from sandbox.catalogue import backend_named
from sitecache import guard
from sitecache.registry import SiteCache, describe

LOCK_SECONDS = 120  # a crashed run frees its learner after this long
LOCK_KEY = "lab:experiment-lock:{namespace}"
SERVER_COUNTS = (1, 2, 4, 8)
SHARED_STORES = {name: backend_named(name).alias for name in ("redis", "memcached")}
STREAM_SEED = 6


describe(
    SiteCache(
        name="lab experiment locks",
        where="default (Redis)",
        stores="'running' while one of a learner's lab experiments runs.",
        key_shape=LOCK_KEY.replace("{namespace}", "<learner namespace>"),
        timeout=LOCK_SECONDS,
        invalidation="Deleted when the experiment ends; the timeout frees a crashed run.",
        why_safe=(
            "Not a copy of anything: the lock itself, taken with add(), which Redis applies "
            "atomically, so two app servers cannot both take it. With Redis failing, "
            "experiments are refused with a 503 rather than run unlocked."
        ),
    )
)


class ExperimentBusy(Exception):
    pass


class ShopMissing(Exception):
    pass


class LockUnavailable(Exception):
    pass


@contextmanager
def one_at_a_time(
    namespace: str,
    busy: str = "An experiment of yours is already running: wait for its result.",
) -> Iterator[None]:
    """One run at a time per learner (their `Learner.namespace`), or site-wide for a shared
    namespace. cache.add is atomic on the shared Redis, so two app servers cannot both get
    the lock."""
    cache = caches["default"]
    key = LOCK_KEY.format(namespace=namespace)
    unavailable = LockUnavailable(
        "The shared Redis that keeps experiments one at a time is not answering: "
        "try again in a moment (/healthz/ready says which)."
    )
    if not guard.available("default"):
        raise unavailable
    try:
        added = cache.add(key, "running", LOCK_SECONDS)
    except guard.FAILURES as error:
        guard.failed("default", error, "taking an experiment lock")
        raise unavailable from error
    if not added:
        raise ExperimentBusy(busy)
    try:
        yield
    finally:
        try:
            cache.delete(key)
        except guard.FAILURES as error:  # the lock's timeout frees the learner
            guard.failed("default", error, "releasing an experiment lock")


@dataclass(frozen=True)
class Sample:
    ms: float
    queries: int


def serve_report(backend: str) -> Sample:
    """One report request as the view serves it: cache-aside fetch plus rendering."""
    meter = Meter()
    with meter.counting_queries():
        fetched = fetch_report(backend, meter)
        render_to_string("lab/index.html#report", {"fetched": fetched})
    return Sample(meter.total_ms, meter.queries)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: an actually measured value, no interpolation."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def summarise(samples: list[Sample]) -> dict[str, float]:
    times = [sample.ms for sample in samples]
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "queries_per_request": round(sum(s.queries for s in samples) / len(samples), 2),
    }


def cold_samples(backend: str, requests: int) -> list[Sample]:
    samples = []
    for _ in range(requests):
        forget_report(backend)
        samples.append(serve_report(backend))
    return samples


def warm_samples(backend: str, requests: int) -> list[Sample]:
    serve_report(backend)  # fills the cache
    return [serve_report(backend) for _ in range(requests)]


def cold_vs_warm(requests: int) -> dict[str, Any]:
    """Per backend: `requests` cold requests (entry deleted before each) and as many warm.

    The share saved is for a stream of `requests` requests starting from an empty cache
    (one miss, then hits): it is (n - 1) / n with a cache, so it depends on how many
    requests arrive per cache lifetime, not on the backend.
    """
    rows = []
    for backend in BACKENDS:
        cold = cold_samples(backend, requests)
        warm = warm_samples(backend, requests)
        stream_queries = cold[0].queries + sum(sample.queries for sample in warm[: requests - 1])
        rows.append(
            {
                "backend": backend,
                "cold": summarise(cold),
                "warm": summarise(warm),
                "saved_share": round(1 - stream_queries / (requests * REPORT_QUERIES), 4),
            }
        )
    return {"requests": requests, "report_queries": REPORT_QUERIES, "backends": rows}


def cold_start() -> dict[str, Any]:
    """Empty the lab's cached report on each backend; measure the first and second request."""
    rows = []
    for backend in BACKENDS:
        forget_report(backend)
        first = serve_report(backend)
        second = serve_report(backend)
        rows.append(
            {
                "backend": backend,
                "first_ms": round(first.ms, 2),
                "first_queries": first.queries,
                "second_ms": round(second.ms, 2),
                "second_queries": second.queries,
            }
        )
    return {"backends": rows}


# --- several app servers -------------------------------------------------------------


def request_stream(requests: int, keys: int, product_ids: list[int]) -> list[int]:
    """Which product page each request asks for: a few pages are popular (weights 1/rank)."""
    rng = random.Random(STREAM_SEED)
    pages = product_ids[:keys]
    weights = [1 / rank for rank in range(1, len(pages) + 1)]
    return rng.choices(pages, weights=weights, k=requests)


def server_choices(requests: int, servers: int) -> list[int]:
    """Which app server the load balancer hands each request to."""
    rng = random.Random(STREAM_SEED + servers)
    return [rng.randrange(servers) for _ in range(requests)]


def product_summary(product_id: int) -> dict[str, int]:
    """The page a miss has to build: one indexed aggregate query."""
    return OrderLine.objects.filter(product_id=product_id).aggregate(
        units=Sum("quantity"), lines=Count("id")
    )


def replay(stream: list[int], servers: list[int], stores: list[BaseCache], prefix: str) -> dict:
    hits = 0
    meter = Meter()
    with meter.counting_queries():
        for product_id, server in zip(stream, servers, strict=True):
            cache = stores[server]
            key = f"{prefix}:{product_id}"
            if cache.get(key) is not None:
                hits += 1
            else:
                cache.set(key, product_summary(product_id), 300)
    return {"hit_ratio": round(hits / len(stream), 4), "db_queries": meter.queries}


# LocMemCache keeps each LOCATION's store in a registry for the life of the process, so the
# simulated servers reuse fixed LOCATIONs (nothing grows per run), and a lock keeps two runs
# in one threaded process (runserver) from sharing them.
SIMULATED_SERVERS = threading.Lock()


def locmem_servers(count: int) -> list[LocMemCache]:
    params = {"TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": 10_000}}
    return [LocMemCache(f"lab-app-server-{number}", params) for number in range(count)]


def measure_locmem(stream: list[int], count: int) -> dict:
    with SIMULATED_SERVERS:
        stores = locmem_servers(count)
        for store in stores:
            store.clear()
        try:
            return replay(stream, server_choices(len(stream), count), stores, "lab:servers")
        finally:
            for store in stores:
                store.clear()


def measure_shared(alias: str, stream: list[int], count: int) -> dict:
    """Every simulated server talks to the same store, under keys unique to this run."""
    cache = caches[alias]
    prefix = f"lab:servers:{uuid.uuid4().hex}"
    try:
        return replay(stream, server_choices(len(stream), count), [cache] * count, prefix)
    finally:
        cache.delete_many([f"{prefix}:{product_id}" for product_id in set(stream)])


def measure_store(store: str, stream: list[int], count: int) -> dict:
    if store == "locmem":
        return measure_locmem(stream, count)
    return measure_shared(SHARED_STORES[store], stream, count)


def app_servers(requests: int, keys: int) -> dict[str, Any]:
    """The same request stream over K app servers: K LocMem stores vs one shared store."""
    product_ids = list(Product.objects.order_by("id").values_list("id", flat=True)[:keys])
    if not product_ids:
        raise ShopMissing("The demo shop is empty: run `manage.py seed_lab` first.")
    stream = request_stream(requests, keys, product_ids)
    series = {
        store: [measure_store(store, stream, count) | {"servers": count} for count in SERVER_COUNTS]
        for store in ["locmem", *SHARED_STORES]
    }
    return {
        "requests": requests,
        "keys": len(product_ids),
        "distinct_keys": len(set(stream)),
        "series": series,
    }


def cache_page_demo(host: str) -> dict[str, Any]:
    """The cache_page leak and its fixes, on the lab's default backend."""
    figures = cache_page_leak(backend_named(DEFAULT_BACKEND).alias, host)
    if figures is None:
        raise ShopMissing("The demo shop has no customers: run `manage.py seed_lab` first.")
    return {"backend": DEFAULT_BACKEND} | figures


def stampede_on_the_shop(requests: int) -> dict[str, Any]:
    if not OrderLine.objects.exists():
        raise ShopMissing("The demo shop is empty: run `manage.py seed_lab` first.")
    return stampedes(requests)


Runner = Callable[..., dict[str, Any]]
RUNNERS: dict[str, Runner] = {
    "cold-warm": cold_vs_warm,
    "servers": app_servers,
    "cold-start": cold_start,
    "stampede": stampede_on_the_shop,
    "cache-page": cache_page_demo,
    "race": races,
    "failover": failover,
    "full-cache": full_cache,
}
NEEDS_HOST = {"cache-page"}  # builds requests to this site, under the host it is called by
# Start servers of their own (lab.own_servers): one such run at a time on the whole site, so
# learners cannot make the machine start a pair of servers each.
OWN_SERVERS = {"failover", "full-cache"}
SERVERS_BUSY = "Another learner's experiment is using the lab's spare servers: try again shortly."


def run_timed(kind: str, host: str, **bounds: int) -> dict[str, Any]:
    started = time.perf_counter()
    arguments: dict[str, Any] = {"host": host} if kind in NEEDS_HOST else {}
    with one_at_a_time("site:own-servers", SERVERS_BUSY) if kind in OWN_SERVERS else nullcontext():
        figures = RUNNERS[kind](**bounds, **arguments)
    return figures | {"duration_ms": round(elapsed_ms(started), 1)}
