"""The slow report and its cache-aside read through the backend the learner picks.

Cache-aside: read the cache; on a miss run the queries and store the result. The report
lives under one lab-wide key on each compared backend's alias (their KEY_PREFIX keeps it
apart from the site's own cache), and anything else found under that key is treated as a
miss, since sandbox learners can write any key they like on those servers.
"""

from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db.models import Count, F, Sum

from lab.metering import Meter
from lab.models import OrderLine
from sandbox.catalogue import CACHE_BACKENDS

REPORT_KEY = "lab:report:v1"
REPORT_VERSION = 1
REPORT_QUERIES = 2  # the queries one uncached report runs
REPORT_TIMEOUT = 300
NO_CACHE = "none"
# The catalogue's backends, plus the lab's own baseline: no cache at all.
BACKENDS: dict[str, str | None] = {
    NO_CACHE: None,
    **{backend.name: backend.alias for backend in CACHE_BACKENDS},
}
BACKEND_LABELS = {
    NO_CACHE: "No cache (database every time)",
    **{backend.name: backend.label for backend in CACHE_BACKENDS},
}
DEFAULT_BACKEND = "redis"
REVENUE = Sum(F("quantity") * F("unit_price_cents"))


class UnknownBackend(ValueError):
    pass


@dataclass(frozen=True)
class Fetched:
    report: dict[str, Any]
    hit: bool
    backend: str


def backend_alias(backend: str) -> str | None:
    if backend not in BACKENDS:
        raise UnknownBackend(f"Unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}.")
    return BACKENDS[backend]


def build_report() -> dict[str, Any]:
    """Revenue per category and the ten best sellers: REPORT_QUERIES aggregate queries."""
    categories = list(
        OrderLine.objects.values("product__category")
        .annotate(units=Sum("quantity"), revenue=REVENUE, orders=Count("order", distinct=True))
        .order_by("-revenue")
    )
    best_sellers = list(
        OrderLine.objects.values("product_id", "product__name")
        .annotate(units=Sum("quantity"), revenue=REVENUE)
        .order_by("-revenue", "product_id")[:10]
    )
    return {"version": REPORT_VERSION, "categories": categories, "best_sellers": best_sellers}


def is_report(value: object) -> bool:
    return isinstance(value, dict) and value.get("version") == REPORT_VERSION


def fetch_report(backend: str, meter: Meter) -> Fetched:
    alias = backend_alias(backend)
    if alias is None:
        return Fetched(build_report(), hit=False, backend=backend)
    cache = caches[alias]
    with meter.timing_cache():
        cached = cache.get(REPORT_KEY)
    if is_report(cached):
        return Fetched(cached, hit=True, backend=backend)
    report = build_report()
    with meter.timing_cache():
        cache.set(REPORT_KEY, report, REPORT_TIMEOUT)
    return Fetched(report, hit=False, backend=backend)


def forget_report(backend: str) -> None:
    """Empty the lab's cached report on one backend (a cold start)."""
    alias = backend_alias(backend)
    if alias is not None:
        caches[alias].delete(REPORT_KEY)
