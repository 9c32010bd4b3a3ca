"""The CACHES setting, built in one place so settings.py and the test fixtures agree.

Every alias has its own KEY_PREFIX, so aliases that share a server never read each
other's keys, and short timeouts, so a server that is down or hung costs a request
about half a second instead of redis-py's 5 s or pymemcache's "wait forever".
"""

from typing import Any

from sandbox.catalogue import BY_NAME
from sandbox.wire import SOCKET_MODULE, WireConnection

# Seconds to wait for a connection or an answer before calling a server down.
SERVER_TIMEOUT = 0.5


def pymemcache_options() -> dict[str, Any]:
    # pymemcache's HashClient marks a failed server dead for 60 s by default; with these
    # a restarted memcached is used again within about a second.
    return {
        "connect_timeout": SERVER_TIMEOUT,
        "timeout": SERVER_TIMEOUT,
        "no_delay": True,
        "retry_attempts": 1,
        "retry_timeout": 1,
        "dead_timeout": 1,
        "ignore_exc": False,
    }


def build_caches(redis_url: str, memcached_servers: list[str]) -> dict[str, dict[str, Any]]:
    return {
        # The site's own cache (rendered lessons, sessions, quiz statistics). django-redis:
        # shared by every app server, and faster per call than Django's built-in RedisCache,
        # which builds a new client object on every call. If Redis goes down the site keeps
        # serving (IGNORE_EXCEPTIONS) and /healthz reports it.
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "site",
            "TIMEOUT": 300,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": SERVER_TIMEOUT,
                "SOCKET_TIMEOUT": SERVER_TIMEOUT,
                "IGNORE_EXCEPTIONS": True,
            },
        },
        # Rendered template fragments ({% cache ... using="fragments" %}), kept in each
        # process: only for fragments whose key names everything they show (a content
        # version read from the database, say), so no server can serve a stale one.
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fragments",
            "KEY_PREFIX": "fragments",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
        # The sandbox's four backends. LOCATION names the per-process LocMem store.
        BY_NAME["locmem"].alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sandbox",
            "KEY_PREFIX": "sandbox-locmem",
            "TIMEOUT": 300,
        },
        BY_NAME["redis"].alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "sandbox-redis",
            "TIMEOUT": 300,
            "OPTIONS": {
                "socket_connect_timeout": SERVER_TIMEOUT,
                "socket_timeout": SERVER_TIMEOUT,
                # The sandbox shows what each call sent (sandbox.wire).
                "connection_class": WireConnection,
            },
        },
        BY_NAME["django-redis"].alias: {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "sandbox-django-redis",
            "TIMEOUT": 300,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": SERVER_TIMEOUT,
                "SOCKET_TIMEOUT": SERVER_TIMEOUT,
                # Pools of its own, not the site cache's (same URL), with the sandbox's
                # connection class, so the sandbox can show what each call sent.
                "CONNECTION_FACTORY": "sandbox.wire.pools.SandboxConnectionFactory",
                "CONNECTION_POOL_KWARGS": {"connection_class": WireConnection},
            },
        },
        BY_NAME["memcached"].alias: {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": list(memcached_servers),
            "KEY_PREFIX": "sandbox-memcached",
            "TIMEOUT": 300,
            "OPTIONS": {**pymemcache_options(), "socket_module": SOCKET_MODULE},
        },
    }
