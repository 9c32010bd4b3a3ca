"""The read-then-set race, live: a slow reader and a writer interleaved on each backend.

A reader misses the cache, reads a price from the database and stores what it read; a writer
changes the price in a transaction and invalidates the cache when it commits. Two events force
the interleaving that goes wrong in production once in a while (a slow query, a pause in the
reader's process): the writer commits, and invalidates, between the reader's database read and
its store. The reader and the writer are threads, each with its own database connection, and
the write is a real committed UPDATE of a `lab.Price` row made for the run.

Each strategy runs on each backend:

- delete on commit: the writer deletes the key in `transaction.on_commit`. The reader's store
  comes after the delete, so the old price is cached until the entry expires.
- set on commit: the writer stores the new price on commit; the reader's late store overwrites
  it with the old one.
- generation on commit: values live under (name, generation) and the writer replaces the
  generation with a new token on commit. The reader's late store lands under the old
  generation, which no request reads any more: the next request misses and reads the new price.
"""

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connection, transaction

from lab.models import Price
from sandbox.catalogue import CACHE_BACKENDS

OLD_CENTS = 1999
NEW_CENTS = 2499
ENTRY_SECONDS = 60  # what a run leaves behind expires soon, and is deleted at the end anyway
STEP_SECONDS = 10.0  # an event not set by then means the other thread failed


class RaceFailed(RuntimeError):
    """A reader or writer thread did not get through its part."""


def new_generation() -> str:
    return uuid.uuid4().hex[:12]


def generation(cache: BaseCache, name: str) -> str:
    """The current generation of `name`. A missing one (never set, evicted, a restarted server)
    is started with add() and a new token: never a generation read earlier, so a value stored
    under an old generation can never become current again."""
    key = f"{name}:generation"
    current = cache.get(key)
    if current is None:
        cache.add(key, new_generation(), ENTRY_SECONDS)
        current = cache.get(key)
    return current


def bump_generation(cache: BaseCache, name: str) -> None:
    cache.set(f"{name}:generation", new_generation(), ENTRY_SECONDS)


@dataclass(frozen=True)
class Strategy:
    name: str
    label: str
    key: Callable[[BaseCache, str], str]  # where a reader reads and stores the value
    on_commit: Callable[[BaseCache, str, int], None]  # what the writer does once committed


STRATEGIES = (
    Strategy(
        "delete",
        "delete on commit",
        lambda cache, name: name,
        lambda cache, name, cents: cache.delete(name),
    ),
    Strategy(
        "set",
        "set the new value on commit",
        lambda cache, name: name,
        lambda cache, name, cents: cache.set(name, cents, ENTRY_SECONDS),
    ),
    Strategy(
        "generation",
        "new generation on commit",
        lambda cache, name: f"{name}:{generation(cache, name)}",
        lambda cache, name, cents: bump_generation(cache, name),
    ),
)
BY_NAME = {strategy.name: strategy for strategy in STRATEGIES}


def price_of(pk: int) -> int:
    return Price.objects.values_list("cents", flat=True).get(pk=pk)


def serve(cache: BaseCache, key: str, pk: int) -> tuple[int, bool]:
    """The next request, after the race: cache-aside under the key requests now read.
    Returns the price it serves and whether it came from the cache."""
    cached = cache.get(key)
    if cached is not None:
        return cached, True
    cents = price_of(pk)
    cache.set(key, cents, ENTRY_SECONDS)
    return cents, False


@dataclass
class Interleaving:
    """The two threads' meeting points, and what each saw."""

    read_done: threading.Event
    write_committed: threading.Event
    reader_key: str = ""
    reader_read: int | None = None
    errors: list[str] | None = None

    @classmethod
    def new(cls) -> "Interleaving":
        return cls(threading.Event(), threading.Event(), errors=[])

    def fail(self, who: str, error: BaseException) -> None:
        assert self.errors is not None
        self.errors.append(f"{who}: {type(error).__name__}: {error}")
        self.read_done.set()  # never leave the other thread waiting
        self.write_committed.set()


def in_own_connections(alias: str, part: Callable[[BaseCache], None]) -> None:
    """A thread's part, on its own database and cache connections (as another worker's)."""
    cache = caches[alias]
    try:
        part(cache)
    finally:
        cache.close()
        connection.close()


def reader(strategy: Strategy, alias: str, name: str, pk: int, meet: Interleaving) -> None:
    def part(cache: BaseCache) -> None:
        try:
            meet.reader_key = strategy.key(cache, name)
            if cache.get(meet.reader_key) is not None:
                raise RaceFailed("the reader found a value: it was meant to miss")
            meet.reader_read = price_of(pk)
        except Exception as error:
            meet.fail("reader", error)
            return
        meet.read_done.set()
        if not meet.write_committed.wait(STEP_SECONDS):
            meet.fail("reader", RaceFailed("the writer never committed"))
            return
        cache.set(meet.reader_key, meet.reader_read, ENTRY_SECONDS)  # the late store

    in_own_connections(alias, part)


def writer(strategy: Strategy, alias: str, name: str, pk: int, meet: Interleaving) -> None:
    def part(cache: BaseCache) -> None:
        if not meet.read_done.wait(STEP_SECONDS):
            meet.fail("writer", RaceFailed("the reader never read"))
            return
        try:
            with transaction.atomic():
                Price.objects.filter(pk=pk).update(cents=NEW_CENTS)
                transaction.on_commit(lambda: strategy.on_commit(cache, name, NEW_CENTS))
        except Exception as error:
            meet.fail("writer", error)
            return
        meet.write_committed.set()

    in_own_connections(alias, part)


def race(strategy: Strategy, alias: str) -> dict[str, Any]:
    """One reader and one writer, interleaved; then the next request on a fresh key read."""
    name = f"lab:race:{uuid.uuid4().hex}:price"
    price = Price.objects.create(label=name, cents=OLD_CENTS)
    meet = Interleaving.new()
    threads = [
        threading.Thread(target=role, args=(strategy, alias, name, price.pk, meet))
        for role in (reader, writer)
    ]
    cache = caches[alias]
    live_key = name
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(2 * STEP_SECONDS)
        if meet.errors:
            raise RaceFailed("; ".join(meet.errors))
        committed = price_of(price.pk)
        live_key = strategy.key(cache, name)
        served, from_cache = serve(cache, live_key, price.pk)
        left_behind = cache.get(meet.reader_key)
        return {
            "strategy": strategy.name,
            "read": meet.reader_read,
            "committed": committed,
            "served": served,
            "from_cache": from_cache,
            "stale": served != committed,
            # The reader's late store, still in the cache: under the key requests read (the
            # stale value they get), or under a generation nobody reads any more.
            "left_behind": left_behind,
            "left_where": "live" if meet.reader_key == live_key else "orphaned",
        }
    finally:
        cache.delete_many(sorted({name, f"{name}:generation", meet.reader_key or name, live_key}))
        price.delete()


def races() -> dict[str, Any]:
    """Every strategy on every compared backend."""
    rows = [
        {"backend": backend.name} | race(strategy, backend.alias)
        for backend in CACHE_BACKENDS
        for strategy in STRATEGIES
    ]
    return {
        "old_cents": OLD_CENTS,
        "new_cents": NEW_CENTS,
        "strategies": {strategy.name: strategy.label for strategy in STRATEGIES},
        "backends": [backend.name for backend in CACHE_BACKENDS],
        "rows": rows,
    }
