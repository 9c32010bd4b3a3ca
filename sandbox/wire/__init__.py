"""What each cache call really sent and received, captured at the client's own socket.

Around each call on one backend:

    with wire.capture() as capture:
        result = cache.incr(key)                 # the learner's call
        with capture.sandbox("read-back"):       # the sandbox's own commands, labelled
            cache.get(key)
    outcome.wire = capture.wire()                # a Wire; .as_dict() for the JSON API

A new connection's handshake (HELLO, CLIENT SETINFO, SELECT) is labelled "handshake"
automatically. For LocMem, which has no wire, `locmem_wire()` says what it did instead.
Captures are per context (contextvars): concurrent requests and threads never mix.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sandbox.wire.commands import LINES
from sandbox.wire.transport import (
    MEMCACHED,
    REDIS,
    SOCKET_MODULE,
    WireConnection,
    WireSocket,
    recording,
)

__all__ = [
    "MEMCACHED",
    "REDIS",
    "SOCKET_MODULE",
    "Capture",
    "Wire",
    "WireConnection",
    "capture",
    "locmem_wire",
]

CALL = ""  # the role of the learner's own call; any other role is a label of the sandbox's


@dataclass
class Wire:
    round_trips: int = 0
    commands: list[str] = field(default_factory=list)
    bytes_sent: int = 0
    bytes_received: int = 0
    sandbox_commands: list[str] = field(default_factory=list)  # "label: command"
    sandbox_round_trips: int = 0
    instead: str | None = None  # LocMem: what it did, having no wire

    def as_dict(self) -> dict[str, Any]:
        return {
            "round_trips": self.round_trips,
            "commands": self.commands,
            "bytes_sent": self.bytes_sent,
            "bytes_received": self.bytes_received,
            "sandbox_commands": self.sandbox_commands,
            "sandbox_round_trips": self.sandbox_round_trips,
            "instead": self.instead,
        }


@dataclass
class Segment:
    """Consecutive chunks one socket sent in one role, decoded only when asked."""

    role: str
    sock: WireSocket
    chunks: list[bytes] = field(default_factory=list)

    def lines(self) -> list[str]:
        return LINES[self.sock.protocol](b"".join(self.chunks))


class Capture:
    """Records what passes the sandbox's sockets in this context while it is active."""

    def __init__(self) -> None:
        self.role = CALL
        self.segments: list[Segment] = []
        self.round_trips = {CALL: 0}
        self.bytes_sent = {CALL: 0}
        self.bytes_received = {CALL: 0}

    # -- called by the sockets (sandbox.wire.transport) ----------------------------------
    def sent(self, sock: WireSocket, data: bytes) -> None:
        role = self.role
        last = self.segments[-1] if self.segments else None
        if last is None or last.role != role or last.sock is not sock:
            last = Segment(role, sock)
            self.segments.append(last)
        last.chunks.append(bytes(data))
        self.bytes_sent[role] = self.bytes_sent.get(role, 0) + len(data)
        sock.awaiting_reply = True

    def received(self, sock: WireSocket, size: int) -> None:
        role = self.role
        self.bytes_received[role] = self.bytes_received.get(role, 0) + size
        if sock.awaiting_reply:
            sock.awaiting_reply = False
            self.round_trips[role] = self.round_trips.get(role, 0) + 1

    def handshake(self):
        return self.sandbox("handshake")

    # -- the sandbox's API ---------------------------------------------------------------
    @contextmanager
    def sandbox(self, label: str) -> Iterator[None]:
        """Commands sent inside are the sandbox's (or the client's), under `label`."""
        previous, self.role = self.role, label
        try:
            yield
        finally:
            self.role = previous

    def mark_sandbox(self, label: str) -> None:
        """From here on, until the capture ends, commands are the sandbox's under `label`."""
        self.role = label

    def wire(self) -> Wire:
        result = Wire(
            round_trips=self.round_trips[CALL],
            bytes_sent=self.bytes_sent[CALL],
            bytes_received=self.bytes_received[CALL],
            sandbox_round_trips=sum(self.round_trips.values()) - self.round_trips[CALL],
        )
        for segment in self.segments:
            if segment.role == CALL:
                result.commands.extend(segment.lines())
            else:
                result.sandbox_commands.extend(
                    f"{segment.role}: {line}" for line in segment.lines()
                )
        return result


@contextmanager
def capture() -> Iterator[Capture]:
    """Record this context's cache traffic until the block ends (nested: the inner wins)."""
    active = Capture()
    token = recording.set(active)
    try:
        yield active
    finally:
        recording.reset(token)


def locmem_wire(cache: Any, method: str, stored_keys: list[str]) -> Wire:
    """LocMem's calls never leave the process: say what the call did instead, with the sizes
    of the pickles this process's dict holds now for `stored_keys` (as Django made them)."""
    with cache._lock:  # read the store as LocMemCache itself does
        sizes = [len(cache._cache[key]) for key in stored_keys if key in cache._cache]
    return Wire(instead=locmem_sentence(method, len(stored_keys), sizes))


def locmem_sentence(method: str, keys: int, sizes: list[int]) -> str:
    where = f"this process's dict (pid {os.getpid()})"
    held = f"{sum(sizes)} bytes" if sizes else "nothing"
    if method in ("set", "add", "set_many", "get_or_set"):
        action = f"pickled the value(s) into {where}: it holds {held} for these keys now"
    elif method in ("incr", "decr"):
        action = f"unpickled the value, added the delta and pickled it back ({held}) in {where}"
    elif method in ("get", "get_many", "has_key"):
        found = f"found {len(sizes)} of {keys} key(s)"
        action = f"looked the key(s) up in {where}: {found}, {held} pickled"
    elif method == "touch":
        action = f"changed the key's expiry time in {where}; nothing was pickled"
    elif method in ("delete", "delete_many", "clear"):
        action = f"removed the key(s) from {where}"
    else:
        action = f"worked on {where}"
    return f"No network: {action}. 0 round trips, 0 bytes sent."
