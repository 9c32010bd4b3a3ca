"""Throwaway servers for tests, and the one way tests stop and restart them.

`start_server(kind, directory)` starts a Redis, a Memcached or a PostgreSQL cluster on a free
port (use the `own_server` fixture, which stops what it started); `service.stop()` and
`service.restart()` (ops.services.Service) stop it and start it again on the same port
with the same data, as an operator would. `address_of_a_stopped_server()` is an address where
nothing listens, for a server that is down from the start.
"""

import getpass
import shutil
import tempfile
from pathlib import Path

from ops.postgres import start_postgres
from ops.services import (
    LOOPBACK,
    Service,
    free_port,
    memcached_answers,
    redis_answers,
    require_binary,
    spawn,
    start_memcached,
    start_redis,
)

KINDS = ("redis", "memcached", "postgres")


def start_server(kind: str, directory: Path, port: int | None = None) -> Service:
    port = port or free_port()
    if kind == "redis":
        return start_redis(port, directory / "redis", persist=False)
    if kind == "memcached":
        return start_memcached(port, directory / f"memcached-{port}")
    if kind == "postgres":
        return start_postgres(port, directory / "postgres", durable=False)
    raise ValueError(f"Unknown server kind {kind!r}: one of {', '.join(KINDS)}.")


def start_plain_server(kind: str, directory: Path, *options: str, port: int | None = None):
    """A Redis or a memcached with nothing set but its address and `options`: the server's own
    defaults, for a test of what they are (start_server sets memory limits and policies)."""
    port = port or free_port()
    directory.mkdir(parents=True, exist_ok=True)
    if kind == "redis":
        argv = [require_binary("redis-server", "redis-server"), "--bind", LOOPBACK,
                "--port", str(port), "--save", "", "--dir", str(directory), *options]  # fmt: skip
        return spawn("redis-server", argv, port, directory / "redis.log", ready=redis_answers)
    argv = [require_binary("memcached", "memcached"), "-l", LOOPBACK, "-p", str(port),
            "-U", "0", "-u", getpass.getuser(), *options]  # fmt: skip
    return spawn("memcached", argv, port, directory / "memcached.log", ready=memcached_answers)


def postgres_directory() -> Path:
    """PostgreSQL runs as an unprivileged user when the tests run as root, so its directory
    cannot be under pytest's tmp_path (mode 0700, root's)."""
    directory = Path(tempfile.mkdtemp(prefix="cachelab-test-postgres-"))
    directory.chmod(0o755)
    return directory


def remove_directory(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)


def address_of_a_stopped_server() -> str:
    return f"{LOOPBACK}:{free_port()}"
