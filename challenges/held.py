"""What a backend holds for one of the learner's keys right now: present or not, the seconds
it has left, and (Memcached) the client flags stored with it. Read from the server itself,
through the sandbox's column for that backend, so a server that is down says so plainly."""

import time
from dataclasses import dataclass

from django.core.cache.backends.base import memcache_key_warnings

from sandbox.columns import Column
from sandbox.columns.locmem import LocMemColumn
from sandbox.columns.memcached import MemcachedColumn, meta_get
from sandbox.columns.redis import RedisColumn

MEMCACHED_KEY_BYTES = 250  # the server's limit, in bytes


@dataclass(frozen=True)
class Held:
    present: bool
    ttl: float | None = None  # seconds left; None: never expires (or not present)
    flags: int | None = None  # Memcached only


ABSENT = Held(present=False)


def held(column: Column, key: str, version: int | None = None) -> Held:
    """What `column`'s store holds under the learner's `key`; BackendDown if unreachable."""
    stored = column.cache.make_key(column.stored(key), version)
    return column.guarded(lambda: read(column, stored))


def read(column: Column, stored: str) -> Held:
    if isinstance(column, LocMemColumn):
        return locmem_held(column, stored)
    if isinstance(column, RedisColumn):
        return redis_held(column, stored)
    if isinstance(column, MemcachedColumn):
        return memcached_held(column, stored)
    raise TypeError(f"No reader for {type(column).__name__}.")


def locmem_held(column: Column, stored: str) -> Held:
    cache = column.cache
    with cache._lock:  # read the store as LocMemCache itself does
        pickled = cache._cache.get(stored)
        expires = cache._expire_info.get(stored)
    now = time.time()
    if pickled is None or (expires is not None and expires <= now):
        return ABSENT
    return Held(True, None if expires is None else expires - now)


def redis_held(column: RedisColumn, stored: str) -> Held:
    pttl = column.client(stored).pttl(stored)
    if pttl == -2:  # no such key
        return ABSENT
    return Held(True, None if pttl == -1 else pttl / 1000)


def memcached_held(column: MemcachedColumn, stored: str) -> Held:
    if any(memcache_key_warnings(stored)) or len(stored.encode()) > MEMCACHED_KEY_BYTES:
        return ABSENT  # Memcached refuses such a key, so it holds nothing under it
    client = column.hash_client
    node = client.hasher.get_node(stored)
    flags = meta_get(client.clients[node], [stored]).get(stored)
    if flags is None:
        return ABSENT
    ttl = None if flags["t"] == "-1" else float(flags["t"])
    return Held(True, ttl, int(flags["f"]))
