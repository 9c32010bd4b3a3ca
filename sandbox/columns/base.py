"""One backend as seen by one learner during one request: the column of the results table.

Every key a learner types is stored as "<namespace>:<key>", the namespace derived from the
learner on the server, so learners never meet. The learner's key registry (sandbox.registry)
lets `clear()` delete only their keys and holds the per-backend key cap. Each column reports
what the server really holds and says plainly when its server is down while the others carry
on. Subclasses (one per backend) add inspection, failure detection and write checks.
"""

import re
import time
import warnings
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from django.core.cache.backends.base import BaseCache

from sandbox import wire
from sandbox.calls import CREATING_METHODS, MAX_TIMEOUT, Call
from sandbox.catalogue import backend_named
from sandbox.connections import cache_for
from sandbox.registry import MAX_KEYS_PER_BACKEND, Entry, Registry, RegistryUnavailable
from sandbox.results import KeyView, Outcome, process_label

INSPECTED_KEYS = 3  # per call: enough to see the difference, few round trips
MAX_REPR_CHARS = 2000
MISSING = object()


class BackendDown(Exception):
    """The backend's server cannot be reached; the message says so plainly."""


class CapExceeded(Exception):
    pass


def store_name(backend: str, server: str) -> str:
    """LocMem stores are per process: server B's is a store of its own."""
    return f"{backend}-B" if backend == "locmem" and server == "B" else backend


def short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_REPR_CHARS else text[: MAX_REPR_CHARS - 3] + "..."


def location(cache: BaseCache) -> list[str]:
    """The server addresses a cache alias was configured with."""
    servers = getattr(cache, "_servers", None) or getattr(cache, "_server", "")
    return re.split("[;,]", servers) if isinstance(servers, str) else list(servers)


class Column:
    def __init__(
        self, backend: str, server: str, namespace: str, registry: Registry, inspect: bool
    ) -> None:
        self.backend = backend
        self.cache = cache_for(backend, server)
        self.namespace = namespace
        self.registry = registry
        self.inspect = inspect
        # The process that writes to a per-process store; "" for a shared server.
        self.process = "" if backend_named(backend).shared else process_label()
        self.down: str | None = None
        self.capture: wire.Capture | None = None  # the wire of the line being run
        self.later = False  # True: details asked for after the run (held_now)
        self.elapsed_ns = 0  # time spent on this backend in this request (Server-Timing)

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
        started = time.perf_counter_ns()
        try:
            with wire.capture() as capture:
                self.capture = capture
                self.guarded(lambda: self.execute(call, outcome))
        except BackendDown as error:
            self.down = str(error)
            outcome.value, outcome.error, outcome.down = None, self.down, True
        except (CapExceeded, RegistryUnavailable) as error:
            outcome.error = str(error)
        except Exception as error:  # a failed check or inspection: shown, never a 500
            outcome.error = f"{type(error).__name__}: {error}"
        finally:
            self.capture = None
        outcome.wire = self.wire_of(capture, call)
        self.elapsed_ns += time.perf_counter_ns() - started
        return outcome

    def sandbox_part(self, label: str) -> Any:
        """Commands sent inside are the sandbox's own, shown apart under `label`."""
        return self.capture.sandbox(label) if self.capture else nullcontext()

    def wire_of(self, capture: wire.Capture, call: Call) -> wire.Wire:
        return capture.wire()

    def execute(self, call: Call, outcome: Outcome) -> None:
        if call.method == "clear":
            self.clear_own_keys(outcome)
            return
        arguments = self.namespaced(call)
        if call.method in CREATING_METHODS:
            with self.sandbox_part("key registry"):
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
            if self.inspect:
                with self.sandbox_part("read-back"):
                    self.check_write(call, arguments, outcome)
            else:
                self.unchecked(call, outcome)
        outcome.keys = self.views(call, arguments.get("version"))
        if self.inspect:
            with self.sandbox_part("inspection"):
                self.inspect_views(outcome.keys)

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

    def check_write(self, call: Call, arguments: dict, outcome: Outcome) -> None:
        """Backends that can fail silently verify here by reading back (only when the learner
        asks for the details); the others raise on failure."""

    def unchecked(self, call: Call, outcome: Outcome) -> None:
        """A write that check_write would verify, run without it: say how to verify it."""

    def check_deleted(self, entries: list[Entry], outcome: Outcome) -> None:
        """Same, for the keys clear() deleted."""

    # -- the learner's keys -----------------------------------------------------------------
    def keys_of(self, call: Call) -> set[Entry]:
        return {(key, call.arguments.get("version")) for key in call.named_keys()}

    def make_room(self, call: Call) -> None:
        """Register the keys this call may create before it runs, within the cap."""
        entries = self.keys_of(call)
        if self.registry.holds(entries, self.process):
            return
        if self.registry.reserve(entries, self.process):
            return
        self.forget_expired()
        if not self.registry.reserve(entries, self.process):
            raise CapExceeded(
                f"You have {len(self.registry)} keys on {self.backend}; the sandbox allows "
                f"{MAX_KEYS_PER_BACKEND} per learner per backend. Delete some, or run "
                "cache.clear() (it deletes only your keys)."
            )

    def forget_expired(self) -> None:
        gone = []
        for version, keys in self.registry.by_version().items():
            present = self.cache.get_many([self.stored(key) for key in keys], version=version)
            gone += [(key, version) for key in keys if self.stored(key) not in present]
        self.registry.release(gone, self.process)

    def clear_own_keys(self, outcome: Outcome) -> None:
        self.registry.require()
        registry = self.registry
        entries = list(registry.entries)

        def delete_all() -> None:
            for version, keys in registry.by_version().items():
                self.cache.delete_many([self.stored(key) for key in keys], version=version)

        self.timed(outcome, delete_all)
        outcome.value = "None"
        outcome.notes.append(
            f"The sandbox deleted only your {len(entries)} key(s): clear() on a shared "
            "server would have wiped every learner's keys (FLUSHDB / flush_all)."
        )
        if self.inspect:
            with self.sandbox_part("read-back"):
                self.check_deleted(entries, outcome)
        registry.release(entries, self.process)

    # -- inspection -------------------------------------------------------------------------
    def views(self, call: Call, version: int | None) -> list[KeyView]:
        """The keys the call names (at most INSPECTED_KEYS), as typed and as stored."""
        keys = call.named_keys()[:INSPECTED_KEYS]
        return [KeyView(key, self.cache.make_key(self.stored(key), version)) for key in keys]

    def inspect_views(self, views: list[KeyView]) -> None:
        """Fill in what the server holds for each key (the sandbox's own commands)."""
        if not views:
            return
        try:
            self.guarded(lambda: self.describe(views))
        except BackendDown as error:
            self.down = str(error)
        except Exception as error:  # never hide the call's own answer behind this
            for view in views:
                view.details = f"could not be inspected: {type(error).__name__}: {error}"

    def held_now(self, call: Call) -> Outcome:
        """The details of a cell, asked for when the learner opens them: what the server
        holds now for the keys `call` names and, where writes fail silently, a read-back of
        what it wrote. Every command sent is the sandbox's own (`wire.sandbox_commands`)."""
        outcome = Outcome()
        arguments = self.namespaced(call)
        self.later = True
        with wire.capture() as capture:
            self.capture = capture
            try:
                with self.sandbox_part("read-back"):
                    self.guarded(lambda: self.read_back(call, arguments, outcome))
                outcome.keys = self.views(call, arguments.get("version"))
                with self.sandbox_part("inspection"):
                    self.inspect_views(outcome.keys)
            except BackendDown as error:
                self.down = str(error)
            except Exception as error:  # shown, never a 500
                outcome.error = f"{type(error).__name__}: {error}"
            finally:
                self.capture = None
        if self.down:
            outcome.error, outcome.down = self.down, True
        outcome.wire = capture.wire()
        return outcome

    def read_back(self, call: Call, arguments: dict, outcome: Outcome) -> None:
        """check_write for a call run earlier (a clear() has no keys left to read back)."""
        if call.method != "clear":
            self.check_write(call, arguments, outcome)

    def describe(self, views: list[KeyView]) -> None:
        """Fill in what the server holds for each key."""
