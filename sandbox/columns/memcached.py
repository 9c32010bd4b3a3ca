"""The Memcached column: PyMemcacheCache hides some failures, so every result is checked.

HashClient answers a miss for a server it marked failed, and set() returns None either way.
"""

import select
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import memcache_key_warnings
from pymemcache.exceptions import MemcacheError, MemcacheUnexpectedCloseError

from ops.health import OK, check_memcached_server, explain_connection_error
from sandbox.calls import Call
from sandbox.columns.base import MISSING, BackendDown, Column, location
from sandbox.registry import Entry
from sandbox.results import KeyView, Outcome
from sandbox.wire.commands import MEMCACHED_FLAGS

CHECKED_WRITES = {"set", "set_many", "delete_many"}


class MemcachedColumn(Column):
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

    def unchecked(self, call: Call, outcome: Outcome) -> None:
        if call.method in CHECKED_WRITES:
            outcome.notes.append(
                f"PyMemcacheCache.{call.method}() {reports(call.method)}: open the details "
                "to read the keys back."
            )

    def check_write(self, call: Call, arguments: dict, outcome: Outcome) -> None:
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

    def check_deleted(self, entries: list[Entry], outcome: Outcome) -> None:
        by_version: dict[int | None, list[str]] = defaultdict(list)
        for key, version in entries:
            by_version[version].append(self.stored(key))
        left = [self.cache.get_many(keys, version=version) for version, keys in by_version.items()]
        self.verified(not any(left), "delete_many", outcome)

    def verified(self, ok: bool, method: str, outcome: Outcome) -> None:
        self.raise_if_silently_failed()
        if not ok and self.later:
            outcome.notes.append(
                f"Read back now, Memcached does not hold what {method}() wrote: it expired, "
                "was deleted or evicted since, or was never stored (PyMemcacheCache does not "
                "say which)."
            )
            return
        if not ok:
            outcome.error = (
                f"Memcached did not keep what {method}() wrote (checked by reading it back)."
            )
            return
        outcome.notes.append(
            f"PyMemcacheCache.{method}() {reports(method)}; the sandbox read the keys "
            "back to check it worked: it did."
        )

    def describe(self, views: list[KeyView]) -> None:
        """Which server holds each key (HashClient's choice), then what that server holds,
        asked with one meta get per server for all its keys: remaining TTL, size, flags."""
        servers = location(self.cache)
        by_node: dict[str, list[KeyView]] = defaultdict(list)
        for view in views:
            node = self.hash_client.hasher.get_node(view.stored_key)
            if node not in servers:
                view.details = "no Memcached server is live for this key"
                continue
            if any(memcache_key_warnings(view.stored_key)):
                view.details = "not a key Memcached accepts, so it holds nothing under it"
                continue
            view.details = (
                f"Memcached server {node} ({servers.index(node) + 1} of {len(servers)}), "
                "picked by HashClient's hash of the key"
            )
            by_node[node].append(view)
        for node, node_views in by_node.items():
            held = meta_get(self.hash_client.clients[node], [v.stored_key for v in node_views])
            for view in node_views:
                view.details += ": " + memcached_details(held.get(view.stored_key))


def reports(method: str) -> str:
    """What PyMemcacheCache's `method` tells of a write that failed."""
    return (
        "returns the keys it failed to store"
        if method == "set_many"
        else "does not report failures"
    )


def meta_get(client: Any, keys: list[str]) -> dict[str, dict[str, str]]:
    """`mg <key> k t s f q` per key and `mn`, in one round trip: memcached answers a line
    per key it holds (quiet mode leaves out misses) with its flags, then MN."""
    command = "".join(f"mg {key} k t s f q\r\n" for key in keys) + "mn"
    reply = client.raw_command(command, end_tokens="MN\r\n").decode()
    held = {}
    for line in reply.splitlines():
        words = line.split()
        if words and words[0] == "HD":
            flags = {word[0]: word[1:] for word in words[1:]}
            held[flags.pop("k", "")] = flags
    return held


def memcached_details(flags: dict[str, str] | None) -> str:
    if flags is None:
        return "not on the server"
    ttl = "no expiry" if flags["t"] == "-1" else f"TTL {flags['t']} s"
    client_flags = int(flags["f"])
    meaning = MEMCACHED_FLAGS.get(client_flags, "flags pymemcache's serde does not set")
    return f"{ttl}, {flags['s']} bytes, client flags {client_flags} ({meaning})"
