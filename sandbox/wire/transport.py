"""The sandbox's cache clients, seen at their own sockets.

The Redis backends get `WireConnection` (redis-py's TCP connection, its socket wrapped) and
PyMemcacheCache gets `SOCKET_MODULE` (pymemcache opens its sockets through it), both through
sandbox.wire.backends, which the settings name by dotted path. A wrapped socket hands every
chunk it sends and every byte count it receives to the capture running in the current
context, if any; with none running it only passes the call through. Nothing here sends a
byte of its own, so capturing adds no round trip.
"""

import socket
import types
from contextvars import ContextVar
from typing import Any, Protocol

from redis.connection import Connection

REDIS = "redis"
MEMCACHED = "memcached"


class Recorder(Protocol):
    def sent(self, sock: "WireSocket", data: bytes) -> None: ...

    def received(self, sock: "WireSocket", size: int) -> None: ...

    def handshake(self) -> Any: ...


# The capture recording this context's traffic (one request thread, one test), or None.
recording: ContextVar[Recorder | None] = ContextVar("sandbox_wire_recording", default=None)


class WireSocket:
    """A socket that reports what passes through it; everything else is the real socket's."""

    def __init__(self, sock: socket.socket, protocol: str) -> None:
        self._sock = sock
        self.protocol = protocol
        self.awaiting_reply = False  # sent since the last reply: the next reply ends a round trip

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def sendall(self, data: bytes, flags: int = 0) -> None:
        self._sock.sendall(data, flags)
        recorder = recording.get()
        if recorder is not None:
            recorder.sent(self, data)

    def send(self, data: bytes, flags: int = 0) -> int:
        count = self._sock.send(data, flags)
        recorder = recording.get()
        if recorder is not None:
            recorder.sent(self, data[:count])
        return count

    def recv(self, size: int, flags: int = 0) -> bytes:
        data = self._sock.recv(size, flags)
        if not flags & socket.MSG_PEEK:  # redis-py peeks to tell a closed socket: not a read
            self._received(len(data))
        return data

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        count = self._sock.recv_into(buffer, nbytes, flags)
        if not flags & socket.MSG_PEEK:
            self._received(count)
        return count

    def _received(self, size: int) -> None:
        recorder = recording.get()
        if recorder is not None and size:
            recorder.received(self, size)


class WireConnection(Connection):
    """redis-py's TCP connection, its socket wrapped; the handshake a new connection sends
    (CLIENT SETINFO, HELLO, SELECT...) is labelled as the client's, not the caller's."""

    def _connect(self) -> WireSocket:
        return WireSocket(super()._connect(), REDIS)

    def on_connect_check_health(self, check_health: bool = True) -> None:
        recorder = recording.get()
        if recorder is None:
            super().on_connect_check_health(check_health)
            return
        with recorder.handshake():
            super().on_connect_check_health(check_health)


def _memcached_socket(*args: Any, **kwargs: Any) -> WireSocket:
    return WireSocket(socket.socket(*args, **kwargs), MEMCACHED)


# pymemcache reads constants and getaddrinfo from its `socket_module` and calls its
# `socket()`: the real module, with socket() wrapped.
SOCKET_MODULE = types.ModuleType("sandbox_wire_socket", "socket, with sockets that report.")
SOCKET_MODULE.__dict__.update(
    {name: value for name, value in vars(socket).items() if not name.startswith("__")}
)
SOCKET_MODULE.socket = _memcached_socket
