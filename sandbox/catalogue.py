"""The catalogue of the cache backends that learners compare, side by side.

The sandbox runs calls on them and the lab measures them; both read names, labels and cache
aliases from here, so a backend is named and described in one place.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CacheBackend:
    name: str  # in URLs, forms and the JSON API
    label: str  # what a learner reads
    alias: str  # the CACHES alias
    shared: bool  # one store seen by every app server (False: each process has its own)


CACHE_BACKENDS = (
    CacheBackend("locmem", "LocMem (LocMemCache)", "sandbox-locmem", shared=False),
    CacheBackend("redis", "Redis (Django's RedisCache)", "sandbox-redis", shared=True),
    CacheBackend("django-redis", "Redis (django-redis)", "sandbox-django-redis", shared=True),
    CacheBackend("memcached", "Memcached (PyMemcacheCache)", "sandbox-memcached", shared=True),
)
BY_NAME = {backend.name: backend for backend in CACHE_BACKENDS}
NAMES = tuple(BY_NAME)


def backend_named(name: str) -> CacheBackend:
    """The backend called `name`; KeyError for a name not in the catalogue."""
    return BY_NAME[name]
