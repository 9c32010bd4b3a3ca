"""The benchmark's framework floor and the single-operation probes measured against it.

/lab/floor returns 2 KB and touches nothing; /lab/floor?probe=db adds one 1-row query,
?probe=redis / ?probe=django-redis one cache.get through that backend. The ratios between
them are how the site's database and cache settings were chosen (see README).
"""

from collections.abc import Callable

from django.core.cache import caches

from lab.models import Product
from sandbox.catalogue import backend_named

FLOOR_BODY = (b"Cache Lab framework floor: the cheapest page Django serves here. " * 40)[:2048]
PROBE_KEY = "lab:floor-probe"


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
