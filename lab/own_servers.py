"""Throwaway cache servers an experiment starts for itself, on free ports of 127.0.0.1.

The failover and full-cache experiments stop and fill servers: never the site's own, which
every learner and the site itself use. ops.services starts them as child processes that die
with this one; they are stopped, and their directory removed, on the way out.
"""

import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from ops.services import Service, ServiceError, free_port, start_memcached, start_redis

MEMORY_MB = 8


class CannotRun(RuntimeError):
    """The experiment cannot start its own servers on this machine; the message says why."""


def start(kind: str, directory: Path, memory_mb: int) -> Service:
    if kind == "memcached":
        return start_memcached(free_port(), directory, memory_mb=memory_mb)
    return start_redis(free_port(), directory, persist=False, maxmemory_mb=memory_mb)


@contextmanager
def own_servers(*kinds: str, memory_mb: int = MEMORY_MB) -> Iterator[list[Service]]:
    """One server per kind ("memcached" or "redis"), in order. Start them from a thread that
    outlives them (ops.services.Service.start): the request's own thread does."""
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lab-")))
        services = []
        try:
            for number, kind in enumerate(kinds):
                service = start(kind, directory / f"{kind}-{number}", memory_mb)
                stack.callback(service.stop)
                services.append(service)
        except ServiceError as error:
            names = " and ".join(dict.fromkeys(kinds))
            raise CannotRun(
                f"This experiment starts {names} servers of its own and cannot start them on "
                f"this machine: {error}"
            ) from error
        yield services
