"""Run checked Calls on the sandbox's real cache backends, one learner's namespace at a time.

Every key a learner types is stored as "<namespace>:<key>", the namespace derived from the
session key on the server, so learners never meet. A registry of the learner's keys per
backend store, kept in their (server-side) session, lets `clear()` delete only those and holds
the per-backend key cap without a round trip to any cache server. Each column reports what
the server really holds and says plainly when its server is down while the others carry on.
(Two requests of one learner at the same moment can lose a registry update: the key then
escapes clear() until its timeout, at most an hour.)
"""

import hashlib
import hmac
import os
import re
import select
import socket
import threading
import time
import warnings
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from pymemcache.exceptions import MemcacheError, MemcacheUnexpectedCloseError

from cachelab.cache_config import SANDBOX_ALIASES
from cachelab.health import OK, check_memcached_server, explain_connection_error, redis_address
from sandbox.calls import CREATING_METHODS, MAX_TIMEOUT, Call

BACKENDS = tuple(SANDBOX_ALIASES)
BACKEND_LABELS = {
    "locmem": "LocMem (LocMemCache)",
    "redis": "Redis (Django's RedisCache)",
    "django-redis": "Redis (django-redis)",
    "memcached": "Memcached (PyMemcacheCache)",
}
SERVERS = ("A", "B")
MAX_KEYS_PER_BACKEND = 50
INSPECTED_KEYS = 3  # per call: enough to see the difference, few round trips
MAX_REPR_CHARS = 2000
MISSING = object()

Registry = set[tuple[str, int | None]]  # (learner key, version)
Registries = dict[str, list[list]]  # store name -> [[key, version], ...], JSON for the session


def process_label() -> str:
    """host:pid of the process serving this request (read each time: workers are forked)."""
    return f"{socket.gethostname()}:{os.getpid()}"


class BackendDown(Exception):
    """The backend's server cannot be reached; the message says so plainly."""


class CapExceeded(Exception):
    pass


@dataclass
class KeyView:
    key: str  # as the learner typed it
    stored_key: str  # as Django builds it: KEY_PREFIX:version:namespace:key
    details: str = ""  # what the server holds, where it can be inspected


@dataclass
class Outcome:
    value: str | None = None  # repr of the return value
    error: str | None = None
    down: bool = False
    latency_us: float | None = None
    keys: list[KeyView] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "error": self.error,
            "down": self.down,
            "latency_us": self.latency_us,
            "keys": [vars(view) for view in self.keys],
            "warnings": self.warnings,
            "notes": self.notes,
        }


@dataclass
class LineResult:
    call: Call
    outcomes: dict[str, Outcome]

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.call.line,
            "code": self.call.source,
            "results": {name: outcome.as_dict() for name, outcome in self.outcomes.items()},
        }


@dataclass
class Run:
    server: str
    backends: list[str]
    lines: list[LineResult]
    process: str = field(default_factory=process_label)
    registries_changed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "process": self.process,
            "backends": self.backends,
            "lines": [line.as_dict() for line in self.lines],
        }


def learner_namespace(session_key: str) -> str:
    """A namespace only the server can derive from a session key."""
    digest = hmac.new(settings.SECRET_KEY.encode(), session_key.encode(), hashlib.sha256)
    return "l" + digest.hexdigest()[:16]


def cache_for(backend: str, server: str) -> BaseCache:
    """Server B shares Redis and Memcached with A but has a LocMem store of its own, as a
    second app server process would."""
    if backend == "locmem" and server == "B":
        params = {**settings.CACHES[SANDBOX_ALIASES["locmem"]]}
        params["LOCATION"] = f"{params.get('LOCATION', '')}-server-b"
        return LocMemCache(params["LOCATION"], params)
    if backend == "memcached":
        return kept_open(SANDBOX_ALIASES[backend])
    return caches[SANDBOX_ALIASES[backend]]


class KeptCaches:
    """One thread's cache instances for one CACHES setting; closed when dropped."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.by_alias: dict[str, BaseCache] = {}
        weakref.finalize(self, close_all, self.by_alias)


def close_all(by_alias: dict[str, BaseCache]) -> None:
    for cache in by_alias.values():
        cache.close()


_kept = threading.local()


def kept_open(alias: str) -> BaseCache:
    """A per-thread instance of `alias`, with its settings, that stays connected between
    requests.

    Django closes PyMemcacheCache's connections when every request finishes (`close_caches`),
    so each sandbox run paid a new TCP connection to Memcached, about 0.3 ms of CPU: more
    than the calls themselves. This instance lives outside `caches`, so it stays open like
    the Redis backends' connection pools do; it is rebuilt when CACHES changes.
    """
    kept = getattr(_kept, "caches", None)
    if kept is None or kept.settings is not caches.settings:
        kept = _kept.caches = KeptCaches(caches.settings)
    if alias not in kept.by_alias:
        kept.by_alias[alias] = caches.create_connection(alias)
    return kept.by_alias[alias]


def run_calls(
    calls: Iterable[Call],
    backends: list[str],
    server: str,
    namespace: str,
    registries: Registries,
    inspect: bool = True,
) -> Run:
    """Run every call on every backend; `registries` (the learner's, from their session) is
    updated in place and the Run says whether it changed."""
    columns = [column_for(name, server, namespace, inspect) for name in backends]
    for column in columns:
        column.load_registry(registries)
    lines = [
        LineResult(call, {column.backend: column.run(call) for column in columns}) for call in calls
    ]
    changed = [column.save_registry(registries) for column in columns]
    return Run(server, list(backends), lines, registries_changed=any(changed))


def short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_REPR_CHARS else text[: MAX_REPR_CHARS - 3] + "..."


class Column:
    """One backend as seen by one learner during one request."""

    def __init__(self, backend: str, server: str, namespace: str, inspect: bool) -> None:
        self.backend = backend
        self.cache = cache_for(backend, server)
        self.namespace = namespace
        self.inspect = inspect
        # LocMem stores are per process: server B's is a store of its own.
        self.store = f"{backend}-B" if backend == "locmem" and server == "B" else backend
        self.registry: Registry = set()
        self.registry_changed = False
        self.down: str | None = None

    # -- keys -------------------------------------------------------------------------------
    def stored(self, key: str) -> str:
        return f"{self.namespace}:{key}"

    def unstored(self, key: str) -> str:
        return key.removeprefix(f"{self.namespace}:")

    def namespaced(self, call: Call) -> dict[str, Any]:
        arguments = dict(call.arguments)
        if "key" in arguments:
            arguments["key"] = self.stored(arguments["key"])
        if "keys" in arguments:
            arguments["keys"] = [self.stored(key) for key in arguments["keys"]]
        if "data" in arguments:
            arguments["data"] = {self.stored(k): v for k, v in arguments["data"].items()}
        return arguments

    def plain(self, result: Any) -> Any:
        """A return value with the namespace taken back off the keys it names."""
        if isinstance(result, dict):
            return {self.unstored(key): value for key, value in result.items()}
        if isinstance(result, list):
            return [self.unstored(key) if isinstance(key, str) else key for key in result]
        return result

    # -- running ----------------------------------------------------------------------------
    def run(self, call: Call) -> Outcome:
        outcome = Outcome()
        if self.down:
            outcome.error, outcome.down = f"Skipped: {self.down}", True
            return outcome
        try:
            self.guarded(lambda: self.execute(call, outcome))
        except BackendDown as error:
            self.down = str(error)
            outcome.value, outcome.error, outcome.down = None, self.down, True
        except CapExceeded as error:
            outcome.error = str(error)
        except Exception as error:  # a failed check or inspection: shown, never a 500
            outcome.error = f"{type(error).__name__}: {error}"
        return outcome

    def execute(self, call: Call, outcome: Outcome) -> None:
        if call.method == "clear":
            self.clear_own_keys(outcome)
            return
        arguments = self.namespaced(call)
        if call.method in CREATING_METHODS:
            self.make_room(call)
        if "timeout" in arguments and arguments["timeout"] is None:
            arguments["timeout"] = MAX_TIMEOUT
            outcome.notes.append(
                f"timeout=None (never expire) was capped to {MAX_TIMEOUT} s by the sandbox."
            )
        try:
            result = self.timed(outcome, lambda: getattr(self.cache, call.method)(**arguments))
        except BackendDown:
            raise
        except Exception as error:  # the backend's own error is the lesson: show it
            self.raise_if_down(error)
            outcome.error = f"{type(error).__name__}: {error}"
        else:
            outcome.value = short_repr(self.plain(result))
            self.check_write(call, arguments, result, outcome)
            if call.method in CREATING_METHODS:
                self.remember(call)
        outcome.keys = self.views(call, arguments.get("version"))

    def timed(self, outcome: Outcome, action: Callable[[], Any]) -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                started = time.perf_counter_ns()
                return action()
            finally:
                outcome.latency_us = round((time.perf_counter_ns() - started) / 1000, 1)
                outcome.warnings = [f"{w.category.__name__}: {w.message}" for w in caught]

    def guarded(self, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except BackendDown:
            raise
        except Exception as error:
            self.raise_if_down(error)
            raise

    def raise_if_down(self, error: BaseException) -> None:
        """Turn a connection failure into BackendDown with a plain message."""

    def check_write(self, call: Call, arguments: dict, result: Any, outcome: Outcome) -> None:
        """Backends that can fail silently verify here; the others raise on failure."""

    def check_deleted(self, registry: Registry, outcome: Outcome) -> None:
        """Same, for the keys clear() deleted."""

    # -- the learner's keys -----------------------------------------------------------------
    def load_registry(self, registries: Registries) -> None:
        self.registry = {(key, version) for key, version in registries.get(self.store, [])}

    def save_registry(self, registries: Registries) -> bool:
        if self.registry_changed:
            registries[self.store] = [
                [key, version] for key, version in sorted(self.registry, key=str)
            ]
        return self.registry_changed

    def keys_of(self, call: Call) -> Registry:
        return {(key, call.arguments.get("version")) for key in call.named_keys()}

    def make_room(self, call: Call) -> None:
        registry = self.registry
        new = self.keys_of(call) - registry
        if len(registry) + len(new) <= MAX_KEYS_PER_BACKEND:
            return
        self.forget_expired(registry)
        if len(registry) + len(new) > MAX_KEYS_PER_BACKEND:
            raise CapExceeded(
                f"You have {len(registry)} keys on {self.backend}; the sandbox allows "
                f"{MAX_KEYS_PER_BACKEND} per learner per backend. Delete some, or run "
                "cache.clear() (it deletes only your keys)."
            )

    def forget_expired(self, registry: Registry) -> None:
        for version, keys in by_version(registry).items():
            present = self.cache.get_many([self.stored(key) for key in keys], version=version)
            for key in keys:
                if self.stored(key) not in present:
                    registry.discard((key, version))
                    self.registry_changed = True

    def remember(self, call: Call) -> None:
        new = self.keys_of(call) - self.registry
        if new:
            self.registry.update(new)
            self.registry_changed = True

    def clear_own_keys(self, outcome: Outcome) -> None:
        registry = self.registry

        def delete_all() -> None:
            for version, keys in by_version(registry).items():
                self.cache.delete_many([self.stored(key) for key in keys], version=version)

        self.timed(outcome, delete_all)
        outcome.value = "None"
        outcome.notes.append(
            f"The sandbox deleted only your {len(registry)} key(s): clear() on a shared "
            "server would have wiped every learner's keys (FLUSHDB / flush_all)."
        )
        self.check_deleted(registry, outcome)
        registry.clear()
        self.registry_changed = True

    # -- inspection -------------------------------------------------------------------------
    def views(self, call: Call, version: int | None) -> list[KeyView]:
        keys = call.named_keys()[:INSPECTED_KEYS]
        views = [KeyView(key, self.cache.make_key(self.stored(key), version)) for key in keys]
        if self.inspect and views:
            try:
                self.guarded(lambda: self.describe(views))
            except BackendDown as error:
                self.down = str(error)
        return views

    def describe(self, views: list[KeyView]) -> None:
        """Fill in what the server holds for each key."""


def location(cache: BaseCache) -> list[str]:
    """The server addresses a cache alias was configured with."""
    servers = getattr(cache, "_servers", None) or getattr(cache, "_server", "")
    return re.split("[;,]", servers) if isinstance(servers, str) else list(servers)


def by_version(registry: Registry) -> dict[int | None, list[str]]:
    groups: dict[int | None, list[str]] = defaultdict(list)
    for key, version in sorted(registry, key=str):
        groups[version].append(key)
    return groups


class LocMemColumn(Column):
    def describe(self, views: list[KeyView]) -> None:
        cache = self.cache
        with cache._lock:  # read the store as LocMemCache itself does
            for view in views:
                pickled = cache._cache.get(view.stored_key)
                expires = cache._expire_info.get(view.stored_key)
                if pickled is None or (expires is not None and expires <= time.time()):
                    view.details = f"not in this process's LocMem store ({process_label()})"
                    continue
                ttl = (
                    "never expires"
                    if expires is None
                    else f"expires in {expires - time.time():.0f} s"
                )
                view.details = f"{len(pickled)} bytes pickled in process {process_label()}, {ttl}"


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


class MemcachedColumn(Column):
    """PyMemcacheCache hides some failures: HashClient answers a miss for a server it marked
    failed, and set() returns None either way. So every result is checked."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.drop_closed_connections()

    @property
    def hash_client(self):
        return self.cache._cache

    def drop_closed_connections(self) -> None:
        """A kept connection the server closed (a restart) reads as ready before any call:
        close it, so pymemcache connects afresh as it would in a new request."""
        for client in self.hash_client.clients.values():
            sock = getattr(client, "sock", None)
            if sock is not None and select.select([sock], [], [], 0)[0]:
                client.close()

    def guarded(self, action: Callable[[], Any]) -> Any:
        result = super().guarded(action)
        self.raise_if_silently_failed()
        return result

    def raise_if_down(self, error: BaseException) -> None:
        all_down = isinstance(error, MemcacheError) and "servers seem to be down" in str(error)
        if all_down or isinstance(error, OSError | MemcacheUnexpectedCloseError):
            self.raise_if_silently_failed(force=True)
            raise BackendDown(explain_connection_error("Memcached", self.servers(), error))

    def servers(self) -> str:
        return ", ".join(location(self.cache))

    def raise_if_silently_failed(self, force: bool = False) -> None:
        """A server HashClient marked failed answers every call with a silent default for
        about a second: none of those answers can be trusted."""
        client = self.hash_client
        failed = sorted(
            f"{host}:{port}" for host, port in [*client._failed_clients, *client._dead_clients]
        )
        if not (failed or force):
            return
        problems = [
            problem
            for problem in map(check_memcached_server, failed or location(self.cache))
            if problem != OK
        ]
        if problems:
            raise BackendDown(" ".join(problems))
        if failed:
            raise BackendDown(
                f"Memcached at {', '.join(failed)} failed a moment ago and answers again now; "
                "pymemcache skips it for about a second before retrying. Run again."
            )

    def check_write(self, call: Call, arguments: dict, result: Any, outcome: Outcome) -> None:
        version = arguments.get("version")
        # A timeout of 0 or less means "expire at once": then absent is the right answer.
        timeout = arguments.get("timeout", 1)
        kept = timeout is None or timeout > 0
        if call.method == "set":
            stored = self.cache.get(arguments["key"], MISSING, version=version)
            self.verified(stored == (arguments["value"] if kept else MISSING), "set", outcome)
        elif call.method == "set_many":
            data = arguments["data"]
            stored = self.cache.get_many(list(data), version=version)
            self.verified(stored == (data if kept else {}), "set_many", outcome)
        elif call.method == "delete_many":
            left = self.cache.get_many(arguments["keys"], version=version)
            self.verified(not left, "delete_many", outcome)

    def check_deleted(self, registry: Registry, outcome: Outcome) -> None:
        left = [
            self.cache.get_many([self.stored(key) for key in keys], version=version)
            for version, keys in by_version(registry).items()
        ]
        self.verified(not any(left), "delete_many", outcome)

    def verified(self, ok: bool, method: str, outcome: Outcome) -> None:
        self.raise_if_silently_failed()
        if not ok:
            outcome.error = (
                f"Memcached did not keep what {method}() wrote (checked by reading it back)."
            )
            return
        outcome.notes.append(
            f"PyMemcacheCache.{method}() does not report failures; the sandbox read the keys "
            "back to check it worked: it did."
        )

    def describe(self, views: list[KeyView]) -> None:
        servers = location(self.cache)
        for view in views:
            node = self.hash_client.hasher.get_node(view.stored_key)
            view.details = (
                f"Memcached server {node} ({servers.index(node) + 1} of {len(servers)}), "
                "picked by HashClient's hash of the key"
                if node in servers
                else "no Memcached server is live for this key"
            )


COLUMN_CLASSES: dict[str, type[Column]] = {
    "locmem": LocMemColumn,
    "redis": RedisColumn,
    "django-redis": DjangoRedisColumn,
    "memcached": MemcachedColumn,
}


def column_for(backend: str, server: str, namespace: str, inspect: bool) -> Column:
    return COLUMN_CLASSES[backend](backend, server, namespace, inspect)
