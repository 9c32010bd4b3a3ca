"""The two Redis columns: Django's built-in RedisCache and django-redis, on one server."""

import redis

from ops.health import explain_connection_error, redis_address
from sandbox.columns.base import BackendDown, Column, location
from sandbox.results import KeyView

REDIS_DOWN_ERRORS = (redis.ConnectionError, redis.TimeoutError, ConnectionError, TimeoutError)


class RedisColumn(Column):
    def raise_if_down(self, error: BaseException) -> None:
        if isinstance(error, REDIS_DOWN_ERRORS):
            address = redis_address(location(self.cache)[0])
            raise BackendDown(explain_connection_error("Redis", address, error)) from error

    def client(self, stored_key: str) -> redis.Redis:
        return self.cache._cache.get_client(stored_key, write=False)

    def describe(self, views: list[KeyView]) -> None:
        pipe = self.client(views[0].stored_key).pipeline(transaction=False)
        for view in views:
            pipe.type(view.stored_key).pttl(view.stored_key).strlen(view.stored_key)
            pipe.getrange(view.stored_key, 0, 20)
        answers = pipe.execute()
        for index, view in enumerate(views):
            kind, pttl, length, head = answers[4 * index : 4 * index + 4]
            view.details = redis_details(kind.decode(), pttl, length, head)


def redis_details(kind: str, pttl: int, length: int, head: bytes) -> str:
    if kind == "none":
        return "not on the Redis server"
    ttl = "no expiry" if pttl == -1 else f"TTL {pttl / 1000:.1f} s"
    raw_int = length <= 20 and head.lstrip(b"-").isdigit()
    stored_as = "a raw integer (so INCR is atomic)" if raw_int else "a pickle"
    size = f"{length} byte" if length == 1 else f"{length} bytes"
    return f"Redis {kind}, {ttl}, {size}, stored as {stored_as}"


class DjangoRedisColumn(RedisColumn):
    def client(self, stored_key: str) -> redis.Redis:
        return self.cache.client.get_client(write=False)
