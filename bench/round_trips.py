"""The round trips a request makes to the database, Redis and Memcached, declared per page
(`RoundTrips`) and counted on the real servers (`counting`), so a page's limit (the floor
plus those round trips, `lab.floor`) cannot drift from what the page really does.

Counted where nothing can hide them:
- database: every statement Django sends (CaptureQueriesContext), BEGIN and COMMIT included;
- Redis: the server's `total_reads_processed` (INFO stats, Redis 7+): one read event per
  request the server reads, a pipeline sent at once being one, whichever client sent it;
- Memcached: the servers' command counters (`stats`); a multi-key get counts once per key.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

import redis
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pymemcache.client.base import Client as MemcacheClient

# The probe that stands for one round trip of each kind in the limit (lab.floor.PROBES):
# Redis through django-redis, the cheapest client the site has.
PROBE_OF = {"db": "db", "redis": "django-redis", "memcached": "memcached"}
MEMCACHED_COMMANDS = (
    "cmd_get", "cmd_set", "cmd_touch", "cmd_flush", "delete_hits", "delete_misses",
    "incr_hits", "incr_misses", "decr_hits", "decr_misses",
)  # fmt: skip


@dataclass(frozen=True)
class RoundTrips:
    db: int = 0
    redis: int = 0
    memcached: int = 0

    def floor_query(self) -> str:
        """The floor's query string that makes the same round trips ("" for none)."""
        counts = {PROBE_OF[kind]: count for kind, count in asdict(self).items() if count}
        return urlencode(counts)

    def __str__(self) -> str:
        parts = [f"{count} {kind}" for kind, count in asdict(self).items() if count]
        return ", ".join(parts) or "none"


@dataclass
class Counted:
    """Filled in when the `counting` block ends."""

    round_trips: RoundTrips = field(default_factory=RoundTrips)


def redis_reads(client: redis.Redis) -> int:
    return int(client.info("stats")["total_reads_processed"])


def memcached_commands(clients: list[MemcacheClient]) -> int:
    total = 0
    for client in clients:
        stats = client.stats()
        total += sum(int(stats.get(name.encode(), 0)) for name in MEMCACHED_COMMANDS)
    return total


def memcached_clients() -> list[MemcacheClient]:
    clients = []
    for server in settings.MEMCACHED_SERVERS:
        host, _, port = server.rpartition(":")
        clients.append(MemcacheClient((host, int(port))))
    return clients


@contextmanager
def counting() -> Iterator[Counted]:
    """Count the round trips made inside the block (this thread's database connection; the
    whole Redis and Memcached servers, so nothing else may use them meanwhile)."""
    counted = Counted()
    redis_client = redis.Redis.from_url(settings.REDIS_URL)
    memcached = memcached_clients()
    try:
        reads, commands = redis_reads(redis_client), memcached_commands(memcached)
        with CaptureQueriesContext(connection) as queries:
            yield counted
        # Less one: the INFO that reads the count is itself a read the server counted.
        redis_trips = redis_reads(redis_client) - reads - 1
        counted.round_trips = RoundTrips(
            db=len(queries), redis=redis_trips, memcached=memcached_commands(memcached) - commands
        )
    finally:
        redis_client.close()
        for client in memcached:
            client.close()
