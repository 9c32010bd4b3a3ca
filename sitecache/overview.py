"""Everything /lab/this-site/ shows: every cache the site keeps (sitecache.registry), the
generation each generational cache is at now, and the hit and miss counts of this process
(sitecache.counters), and how browsers and proxies may keep each page (sitecache.http). Plain
data; every figure comes from the code or the counters."""

import os
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches

from sitecache import counters
from sitecache.generations import generational_caches
from sitecache.http import POLICIES, PagePolicy, Policy, page_policies
from sitecache.registry import SiteCache, site_caches


@dataclass(frozen=True)
class Counts:
    hit: int
    miss: int
    uncached: int
    skipped: int
    error: int
    bump: int

    @property
    def reads(self) -> int:
        return self.hit + self.miss + self.uncached + self.skipped + self.error

    @property
    def hit_percent(self) -> int | None:
        return round(100 * self.hit / self.reads) if self.reads else None


@dataclass(frozen=True)
class CacheRow:
    entry: SiteCache
    counts: Counts | None  # generational caches only
    generation: str  # "" for caches without one


@dataclass(frozen=True)
class AliasRow:
    alias: str
    counts: Counts


@dataclass(frozen=True)
class Overview:
    caches: list[CacheRow]
    aliases: list[AliasRow]
    started: datetime
    pid: int
    release: str
    prefix: str  # what the `default` alias puts in front of every key shown
    policies: tuple[Policy, ...]  # how browsers and proxies may keep a page (sitecache.http)
    pages: list[PagePolicy]


def counts_of(outcomes: dict[str, int] | None) -> Counts:
    return Counts(**(outcomes or dict.fromkeys(counters.OUTCOMES, 0)))


def overview() -> Overview:
    by_cache = counters.counts()
    generational = generational_caches()
    rows = []
    for entry in site_caches():
        cache = generational.get(entry.name)
        rows.append(
            CacheRow(
                entry=entry,
                counts=counts_of(by_cache.get(("default", entry.name))) if cache else None,
                generation=cache.current() if cache else "",
            )
        )
    aliases = [
        AliasRow(alias, counts_of(row)) for alias, row in sorted(counters.by_alias().items())
    ]
    return Overview(
        caches=rows,
        aliases=aliases,
        started=datetime.fromtimestamp(counters.STARTED, UTC),
        pid=os.getpid(),
        release=settings.CACHELAB_RELEASE,
        prefix=caches["default"].make_key(""),
        policies=POLICIES,
        pages=page_policies(),
    )
