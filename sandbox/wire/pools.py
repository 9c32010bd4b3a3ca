"""django-redis keeps one connection pool per Redis URL for the whole process, so the
sandbox's django-redis alias would share the site cache's pool (same URL), with whichever
connection class was created first. This factory keeps the sandbox's pools apart, so its
connections are always sandbox.wire's. Named by dotted path in CACHES OPTIONS."""

from typing import Any

from django_redis.pool import ConnectionFactory


class SandboxConnectionFactory(ConnectionFactory):
    _pools: dict[str, Any] = {}
