"""The results table's columns, one class per backend."""

from sandbox.columns.base import MISSING, BackendDown, Column, store_name
from sandbox.columns.locmem import LocMemColumn
from sandbox.columns.memcached import MemcachedColumn
from sandbox.columns.redis import DjangoRedisColumn, RedisColumn
from sandbox.registry import Registry

COLUMN_CLASSES: dict[str, type[Column]] = {
    "locmem": LocMemColumn,
    "redis": RedisColumn,
    "django-redis": DjangoRedisColumn,
    "memcached": MemcachedColumn,
}

__all__ = ["MISSING", "BackendDown", "Column", "column_for", "store_name"]


def column_for(
    backend: str, server: str, namespace: str, registry: Registry, inspect: bool
) -> Column:
    return COLUMN_CLASSES[backend](backend, server, namespace, registry, inspect)
