"""The CACHES setting, built in one place so settings.py and the test fixtures agree.

Every alias has its own KEY_PREFIX, so aliases that share a server never read each
other's keys, and short timeouts, so a server that is down or hung costs a request
about half a second instead of redis-py's 5 s or pymemcache's "wait forever".

Settings import no app: the sandbox's aliases are written as strings (sandbox.catalogue
names the same ones; a test checks they agree) and its instrumented clients are named by
dotted path (sandbox.wire.backends), imported when an alias is first used.
"""

from typing import Any

WIRE = "sandbox.wire.backends"

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
        # The site's own Redis: the generational caches of site data (sitecache), the
        # sandbox's rate limits, key registries and history, the lab's locks; what each key
        # holds is listed at /lab/this-site/. django-redis: shared by every app server, and
        # faster per call than Django's built-in RedisCache, which builds a new client
        # object on every call. Errors are NOT ignored here: sitecache.guard logs them (at
        # most once a minute) and skips a failing Redis for a second, and the sandbox and
        # the lab handle their own, so no failure passes silently.
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "site",
            "TIMEOUT": 300,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": SERVER_TIMEOUT,
                "SOCKET_TIMEOUT": SERVER_TIMEOUT,
            },
        },
        # The sandbox's four backends (sandbox.catalogue). LOCATION names the per-process
        # LocMem store.
        "sandbox-locmem": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sandbox",
            "KEY_PREFIX": "sandbox-locmem",
            "TIMEOUT": 300,
        },
        "sandbox-redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "sandbox-redis",
            "TIMEOUT": 300,
            "OPTIONS": {
                "socket_connect_timeout": SERVER_TIMEOUT,
                "socket_timeout": SERVER_TIMEOUT,
                # The sandbox shows what each call sent (sandbox.wire).
                "pool_class": f"{WIRE}.WireConnectionPool",
            },
        },
        "sandbox-django-redis": {
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
                "CONNECTION_POOL_CLASS": f"{WIRE}.WireConnectionPool",
            },
        },
        "sandbox-memcached": {
            # Django's PyMemcacheCache, its sockets seen by the sandbox (sandbox.wire).
            "BACKEND": f"{WIRE}.WirePyMemcacheCache",
            "LOCATION": list(memcached_servers),
            "KEY_PREFIX": "sandbox-memcached",
            "TIMEOUT": 300,
            "OPTIONS": pymemcache_options(),
        },
    }
