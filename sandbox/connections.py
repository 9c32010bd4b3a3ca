"""The cache instances the sandbox's columns talk to, and the Memcached ones it keeps open."""

import threading
import weakref

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache

from sandbox.catalogue import backend_named

SERVERS = ("A", "B")


def cache_for(backend: str, server: str) -> BaseCache:
    """Server B shares Redis and Memcached with A but has a LocMem store of its own, as a
    second app server process would."""
    alias = backend_named(backend).alias
    if backend == "locmem" and server == "B":
        params = {**settings.CACHES[alias]}
        params["LOCATION"] = f"{params.get('LOCATION', '')}-server-b"
        return LocMemCache(params["LOCATION"], params)
    if backend == "memcached":
        return kept_open(alias)
    return caches[alias]


class KeptCaches:
    """One thread's cache instances for one CACHES setting; closed when dropped."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.by_alias: dict[str, BaseCache] = {}
        weakref.finalize(self, close_all, self.by_alias)


def close_all(by_alias: dict[str, BaseCache]) -> None:
    for cache in by_alias.values():
        cache.close()


_kept = threading.local()


def kept_open(alias: str) -> BaseCache:
    """A per-thread instance of `alias`, with its settings, that stays connected between
    requests.

    Django closes PyMemcacheCache's connections when every request finishes (`close_caches`),
    so each sandbox run paid a new TCP connection to Memcached, about 0.3 ms of CPU: more
    than the calls themselves. This instance lives outside `caches`, so it stays open like
    the Redis backends' connection pools do; it is rebuilt when CACHES changes.
    """
    kept = getattr(_kept, "caches", None)
    if kept is None or kept.settings is not caches.settings:
        kept = _kept.caches = KeptCaches(caches.settings)
    if alias not in kept.by_alias:
        kept.by_alias[alias] = caches.create_connection(alias)
    return kept.by_alias[alias]
