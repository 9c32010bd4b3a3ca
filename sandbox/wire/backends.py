"""The sandbox's cache clients with sandbox.wire's sockets, named by dotted path in CACHES.

The settings import no app, so they cannot hand a class or a module object to a backend;
they name these instead, and Django or django-redis imports them when the alias is first
used:

- `WireConnectionPool`: redis-py's pool, making `WireConnection`s. Django's RedisCache takes
  it as OPTIONS["pool_class"], django-redis as OPTIONS["CONNECTION_POOL_CLASS"].
- `WirePyMemcacheCache`: Django's PyMemcacheCache, unchanged but for pymemcache's
  `socket_module`, through which it opens its sockets.
"""

from typing import Any

from django.core.cache.backends.memcached import PyMemcacheCache
from redis import ConnectionPool

from sandbox.wire.transport import SOCKET_MODULE, WireConnection


class WireConnectionPool(ConnectionPool):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["connection_class"] = WireConnection  # the sandbox speaks plain TCP only
        super().__init__(*args, **kwargs)


class WirePyMemcacheCache(PyMemcacheCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._options = {**self._options, "socket_module": SOCKET_MODULE}
