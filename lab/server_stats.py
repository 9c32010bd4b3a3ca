"""What the site's own cache servers say about themselves, now: sizes, hits, misses, evictions.

Redis answers `INFO` (keyspace_hits, keyspace_misses, evicted_keys, used_memory, maxmemory,
maxmemory_policy); each memcached answers `stats` (get_hits, get_misses, evictions, bytes,
limit_maxbytes) and `stats slabs` (one slab class per chunk size in use). The counters run
from the server's start and count every client: this site's cache, the sandbox's learners and
the lab. Nothing here is cached: each request asks the servers.
"""

from dataclasses import dataclass, field
from typing import Any

import redis
from django.conf import settings
from pymemcache.client.base import Client

from cachelab.cache_config import SERVER_TIMEOUT
from ops.health import explain_connection_error, redis_address


@dataclass
class ServerStats:
    kind: str  # "Redis" or "Memcached"
    address: str
    error: str = ""
    hits: int = 0
    misses: int = 0
    evictions: int = 0
    used_bytes: int = 0
    limit_bytes: int = 0  # 0: no limit (Redis's default maxmemory)
    policy: str = ""
    items: int = 0
    connections: int = 0
    uptime_s: int = 0
    version: str = ""
    slab_classes: list[dict[str, int]] = field(default_factory=list)

    @property
    def lookups(self) -> int:
        return self.hits + self.misses

    @property
    def hit_ratio(self) -> float | None:
        return self.hits / self.lookups if self.lookups else None

    @property
    def used_share(self) -> float | None:
        return self.used_bytes / self.limit_bytes if self.limit_bytes else None


def redis_stats(url: str) -> ServerStats:
    stats = ServerStats("Redis", redis_address(url))
    client = redis.Redis.from_url(
        url, socket_connect_timeout=SERVER_TIMEOUT, socket_timeout=SERVER_TIMEOUT
    )
    try:
        info = client.info()
    except (redis.RedisError, OSError) as error:
        stats.error = explain_connection_error("Redis", stats.address, error)
        return stats
    finally:
        client.close()
    stats.hits, stats.misses = info["keyspace_hits"], info["keyspace_misses"]
    stats.evictions = info["evicted_keys"]
    stats.used_bytes, stats.limit_bytes = info["used_memory"], info["maxmemory"]
    stats.policy = info["maxmemory_policy"]
    stats.items = sum(db["keys"] for name, db in info.items() if name.startswith("db"))
    stats.connections = info["connected_clients"]
    stats.uptime_s, stats.version = info["uptime_in_seconds"], info["redis_version"]
    return stats


def slab_classes(raw: dict[bytes, Any]) -> list[dict[str, int]]:
    """`stats slabs` as one row per slab class that holds items: its chunk size and use."""
    classes: dict[int, dict[str, int]] = {}
    for name, value in raw.items():
        number, _, field_name = name.decode().partition(":")
        if number.isdigit():
            classes.setdefault(int(number), {"class": int(number)})[field_name] = int(value)
    return [row for _, row in sorted(classes.items()) if row.get("used_chunks")]


def memcached_stats(server: str) -> ServerStats:
    stats = ServerStats("Memcached", server)
    host, _, port = server.rpartition(":")
    client = Client((host, int(port)), connect_timeout=SERVER_TIMEOUT, timeout=SERVER_TIMEOUT)
    try:
        raw = client.stats()
        slabs = client.stats("slabs")
        evicts = client.stats("settings")[b"evictions"] == b"on"
    except Exception as error:  # pymemcache raises plain socket errors and its own
        stats.error = explain_connection_error("Memcached", server, error)
        return stats
    finally:
        client.close()
    stats.hits, stats.misses = raw[b"get_hits"], raw[b"get_misses"]
    stats.evictions = raw[b"evictions"]
    stats.used_bytes, stats.limit_bytes = raw[b"bytes"], raw[b"limit_maxbytes"]
    stats.policy = "evicts least recently used" if evicts else "refuses writes when full (-M)"
    stats.items, stats.connections = raw[b"curr_items"], raw[b"curr_connections"]
    stats.uptime_s, stats.version = raw[b"uptime"], raw[b"version"].decode()
    stats.slab_classes = slab_classes(slabs)
    return stats


def site_servers() -> list[ServerStats]:
    """The site's Redis (REDIS_URL) and every memcached in MEMCACHED_SERVERS, asked now."""
    return [
        redis_stats(settings.REDIS_URL),
        *(memcached_stats(server) for server in settings.MEMCACHED_SERVERS),
    ]
