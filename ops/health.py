"""Is each server the site needs answering? Used by /healthz and the sandbox's messages."""

import socket
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.db import connection
from pymemcache.client.base import Client as MemcacheClient
from pymemcache.exceptions import MemcacheError

from cachelab.cache_config import SERVER_TIMEOUT

OK = "ok"
START_HINTS = {"Redis": "redis-server", "Memcached": "memcached"}


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


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "not usable"; report it, don't raise
        return f"Database failed: {type(error).__name__}: {error}"
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


def check_memcached(servers: list[str]) -> str:
    problems = [status for status in map(check_memcached_server, servers) if status != OK]
    return "; ".join(problems) if problems else OK


def health_report() -> dict[str, str]:
    return {
        "database": check_database(),
        "redis": check_redis(settings.REDIS_URL),
        "memcached": check_memcached(settings.MEMCACHED_SERVERS),
    }


def is_healthy(report: dict[str, str]) -> bool:
    return all(status == OK for status in report.values())
