"""The benchmark's framework floor, and the floor plus round trips: a page's own limit.

/lab/floor returns 2 KB and touches nothing. Each probe adds round trips to it:

- `?probe=db` one 1-row query; `?probe=redis`, `?probe=django-redis`, `?probe=memcached` one
  cache.get through that backend (how the site's settings were chosen, see README);
- `?db=M&django-redis=N&memcached=K` (any of them) M queries, N and K gets, one after the
  other: the cheapest page that makes the round trips a real page makes, its limit
  (`bench.targets.Target.round_trips`).
"""

from collections.abc import Callable, Mapping

from django.core.cache import caches

from lab.models import Product
from sandbox.catalogue import backend_named

FLOOR_BODY = (b"Cache Lab framework floor: the cheapest page Django serves here. " * 40)[:2048]
PROBE_KEY = "lab:floor-probe"
MAX_ROUND_TRIPS = 50  # per kind: bounded work for a public URL


class BadProbe(ValueError):
    pass


def _one_row_query() -> None:
    Product.objects.values_list("id", flat=True).order_by("id").first()


def _cache_get(alias: str) -> Callable[[], None]:
    def probe() -> None:
        caches[alias].get(PROBE_KEY)

    return probe


PROBES: dict[str, Callable[[], None]] = {
    "db": _one_row_query,
    **{
        name: _cache_get(backend_named(name).alias)
        for name in ("redis", "django-redis", "memcached")
    },
}


def round_trips(query: Mapping[str, str]) -> dict[str, int]:
    """How many of each probe a request asks for (BadProbe says what is wrong)."""
    counts: dict[str, int] = {}
    probe = query.get("probe")
    if probe is not None:
        if probe not in PROBES:
            raise BadProbe(f"Unknown probe: choose one of {', '.join(PROBES)}.")
        counts[probe] = 1
    for name in PROBES:
        if name not in query:
            continue
        value = query[name]
        if not value.isdigit() or int(value) > MAX_ROUND_TRIPS:
            raise BadProbe(f"{name} must be a whole number from 0 to {MAX_ROUND_TRIPS}.")
        counts[name] = counts.get(name, 0) + int(value)
    return counts


def make_round_trips(counts: Mapping[str, int]) -> None:
    for name, count in counts.items():
        for _ in range(count):
            PROBES[name]()
