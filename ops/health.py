"""Is each server the site needs answering? Used by /healthz, /healthz/ready and the sandbox's
and the lab's messages.

Two questions for two audiences. Liveness (`/healthz`, the load balancer's check): can this
process reach the database? Without it no page works; Redis or a memcached being down only
costs the sandbox a column and the site its cache, so it must not take an app host out of the
pool (every host would go at once). Readiness (`/healthz/ready`, for an operator): every part
with the failure in plain words.
"""

import socket
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.db import connection
from pymemcache.client.base import Client as MemcacheClient
from pymemcache.exceptions import MemcacheError

from cachelab.cache_config import SERVER_TIMEOUT

OK = "ok"
DOWN = "down"
START_HINTS = {"Redis": "redis-server", "Memcached": "memcached", "PostgreSQL": "postgres"}


def explain_connection_error(service: str, address: str, error: BaseException) -> str:
    """One plain sentence a learner or an operator can act on."""
    text = str(error).lower()
    hint = START_HINTS.get(service, service)
    if isinstance(error, ConnectionRefusedError) or "refused" in text:
        return f"{service} at {address} refused the connection: is {hint} running?"
    if isinstance(error, TimeoutError | socket.timeout) or "timed out" in text or "timeout" in text:
        return f"{service} at {address} did not answer within {SERVER_TIMEOUT:g} s."
    if "name or service not known" in text or "nodename nor servname" in text:
        return f"{service} at {address}: the host name does not resolve."
    return f"{service} at {address} failed: {type(error).__name__}: {error}"


# What a cache call raises when its Redis or Memcached server is down or unreachable.
CACHE_SERVER_ERRORS = (redis.RedisError, MemcacheError, OSError)


def explain_cache_server_error(error: BaseException) -> str:
    """explain_connection_error for an error from one of the CACHES aliases: the Redis ones
    use REDIS_URL, the Memcached one MEMCACHED_SERVERS (cachelab.cache_config)."""
    if isinstance(error, redis.RedisError):
        return explain_connection_error("Redis", redis_address(settings.REDIS_URL), error)
    return explain_connection_error("Memcached", ", ".join(settings.MEMCACHED_SERVERS), error)


def redis_address(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 6379}" if parts.hostname else url


def database_name_and_address() -> tuple[str, str]:
    """("PostgreSQL", "host:port") or ("SQLite", "/path/to/file"): for messages."""
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        return "PostgreSQL", f"{database.get('HOST') or 'localhost'}:{database.get('PORT') or 5432}"
    return connection.display_name, str(database.get("NAME"))


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "not usable"; report it, don't raise
        service, address = database_name_and_address()
        return explain_connection_error(service, address, error)
    return OK


def check_redis(url: str) -> str:
    client = redis.Redis.from_url(
        url, socket_connect_timeout=SERVER_TIMEOUT, socket_timeout=SERVER_TIMEOUT
    )
    try:
        client.ping()
    except (redis.RedisError, OSError) as error:
        return explain_connection_error("Redis", redis_address(url), error)
    finally:
        client.close()
    return OK


def check_memcached_server(server: str) -> str:
    host, _, port = server.rpartition(":")
    client = MemcacheClient(
        (host, int(port)), connect_timeout=SERVER_TIMEOUT, timeout=SERVER_TIMEOUT
    )
    try:
        client.version()
    except Exception as error:  # pymemcache raises plain socket errors and its own
        return explain_connection_error("Memcached", server, error)
    finally:
        client.close()
    return OK


def liveness() -> dict[str, str]:
    """The load balancer's question, answered without an address or an error text."""
    return {"database": OK if check_database() == OK else DOWN}


def readiness() -> dict[str, str]:
    """Every part: OK or what failed, in plain words (with addresses: for staff only)."""
    report = {"database": check_database(), "redis": check_redis(settings.REDIS_URL)}
    for number, server in enumerate(settings.MEMCACHED_SERVERS, start=1):
        report[f"memcached-{number}"] = check_memcached_server(server)
    return report


def in_one_word(report: dict[str, str]) -> dict[str, str]:
    return {part: OK if status == OK else DOWN for part, status in report.items()}


def is_healthy(report: dict[str, str]) -> bool:
    return all(status == OK for status in report.values())
