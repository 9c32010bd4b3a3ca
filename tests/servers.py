"""The suite's own Redis, Memcached and PostgreSQL, started by well-kept libraries.

Redis comes from pytest-redis's RedisExecutor, PostgreSQL from pytest-postgresql's
PostgreSQLExecutor (pg_ctl), Memcached from a mirakuru TCPExecutor (mirakuru is what both
plugins are built on; there is no maintained pytest-memcached). Each listens on 127.0.0.1
on a free port and keeps nothing between runs.

What the libraries lack and the tests need is the thin `Server` below: an address to put
in settings, stop/start/restart as an operator would (same port, same data for
PostgreSQL), a pause (SIGSTOP, how a network partition looks to a client), and the site's
memory cap and eviction policy on Redis (ops.services starts the site's Redis with them).
As root, which CI is, PostgreSQL refuses to run: pg_ctl is run as an unprivileged user by
a two-line wrapper, with the data in a directory that user can reach.
`start_plain_server` starts a Redis or a memcached on its own defaults, for tests of them.

`address_of_a_stopped_server()` is an address where nothing listens, for a server that is
down from the start.
"""

import contextlib
import getpass
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import redis
from mirakuru import TCPExecutor
from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_redis.executor import RedisExecutor

from ops.postgres import postgres_bin_dir, server_user

LOOPBACK = "127.0.0.1"
# The memory cap and eviction policy the site's Redis has (ops.services.start_redis).
SITE_REDIS_CONFIG = {"maxmemory": "64mb", "maxmemory-policy": "allkeys-lru"}
POSTGRES_USER = "cachelab"
POSTGRES_DATABASE = "cachelab"
STARTUP_SECONDS = 30
# A throwaway cluster: commits skip the disk, TCP on loopback only (no Unix socket).
POSTGRES_OPTIONS = " ".join(
    f"-c {name}={value}"
    for name, value in {
        "listen_addresses": LOOPBACK,
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "shared_buffers": "64MB",
        "max_connections": "100",
    }.items()
)


@dataclass
class Server:
    """A test server: a mirakuru executor, and what the tests do with it. A Redis is given
    `redis_config` (CONFIG SET) each time it starts."""

    kind: str
    executor: TCPExecutor
    directory: Path
    redis_config: dict[str, str] = field(default_factory=dict)

    @property
    def port(self) -> int:
        return self.executor.port

    @property
    def address(self) -> str:
        return f"{self.executor.host}:{self.executor.port}"

    @property
    def process(self) -> subprocess.Popen | None:
        return self.executor.process

    @property
    def running(self) -> bool:
        return self.executor.running()

    def start(self) -> None:
        self.executor.start()
        if self.redis_config:
            with redis.Redis(host=self.executor.host, port=self.port) as client:
                for name, value in self.redis_config.items():
                    client.config_set(name, value)

    def stop(self) -> None:
        self.executor.stop()

    def restart(self) -> None:
        self.stop()
        self.start()

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """The server stops answering (connections are accepted by the kernel, nothing
        replies) until the block ends: a network partition as its clients see it."""
        if self.kind == "postgres" or self.process is None:
            raise NotImplementedError(f"pausing {self.kind} is not supported")
        pid = self.process.pid
        os.kill(pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.kill(pid, signal.SIGCONT)

    def remove(self) -> None:
        """Stop the server for good and delete its data."""
        if self.running:
            self.stop()
        remove_directory(self.directory)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def address_of_a_stopped_server() -> str:
    return f"{LOOPBACK}:{free_port()}"


def server_directory(kind: str) -> Path:
    """Short (Redis's Unix socket path is limited to 107 bytes) and, for PostgreSQL run
    as another user, reachable by that user: pytest's tmp_path is root's, mode 0700."""
    directory = Path(tempfile.mkdtemp(prefix=f"cachelab-test-{kind}-"))
    directory.chmod(0o755)
    return directory


def postgres_directory() -> Path:
    """A directory PostgreSQL run as its own user can reach (the cluster tests' data)."""
    return server_directory("postgres")


def remove_directory(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)


def start_server(kind: str) -> Server:
    """A started server of `kind` on a free port; `server.remove()` when done."""
    if kind not in EXECUTORS:
        raise ValueError(f"Unknown server kind {kind!r}: one of {', '.join(EXECUTORS)}.")
    directory = server_directory(kind)
    config = SITE_REDIS_CONFIG if kind == "redis" else {}
    return started(Server(kind, EXECUTORS[kind](directory, free_port()), directory, config))


def started(server: Server) -> Server:
    try:
        server.start()
    except BaseException:
        server.remove()
        raise
    return server


def redis_executor(directory: Path, port: int) -> RedisExecutor:
    return RedisExecutor(
        executable=require("redis-server", "redis-server"),
        databases=16,
        redis_timeout=0,  # never close an idle client: the site's pools keep theirs
        loglevel="warning",
        host=LOOPBACK,
        port=port,
        save='""',  # no snapshots: a restart starts empty, as a test expects
        rdbcompression=False,
        startup_timeout=STARTUP_SECONDS,
        datadir=directory,
    )


def memcached_executor(directory: Path, port: int) -> TCPExecutor:
    return program_executor("memcached", memcached_argv(port, "-m", "64"), directory, port)


def memcached_argv(port: int, *options: str) -> list[str]:
    memcached = require("memcached", "memcached")
    user = getpass.getuser()  # as root, memcached refuses to start without -u
    return [memcached, "-l", LOOPBACK, "-p", str(port), "-U", "0", "-u", user, *options]


def program_executor(kind: str, argv: list[str], directory: Path, port: int) -> TCPExecutor:
    """A server run from its own command line, ready once it accepts connections."""
    return TCPExecutor(
        argv,
        host=LOOPBACK,
        port=port,
        timeout=STARTUP_SECONDS,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        cwd=str(directory),
        # memcached has nothing to save: killed, it stops at once (SIGTERM takes it 0.7 s),
        # and its clients see the same closed connections.
        stop_signal=signal.SIGKILL if kind == "memcached" else signal.SIGTERM,
    )


def postgres_executor(directory: Path, port: int) -> PostgreSQLExecutor:
    return PostgreSQLExecutor(
        executable=pg_ctl(directory),
        host=LOOPBACK,
        port=port,
        datadir=str(directory / "data"),
        unixsocketdir="",  # none: TCP on loopback only
        logfile=str(directory / "postgresql.log"),
        startparams="-w",
        dbname=POSTGRES_DATABASE,
        user=POSTGRES_USER,
        timeout=STARTUP_SECONDS,
        postgres_options=POSTGRES_OPTIONS,
    )


def pg_ctl(directory: Path) -> str:
    """Debian's pg_ctl; as root, a wrapper that runs it as PostgreSQL's own user."""
    program = postgres_bin_dir() / "pg_ctl"
    user = server_user()
    if user is None:
        return str(program)
    account = pwd.getpwnam(user)
    os.chown(directory, account.pw_uid, account.pw_gid)  # initdb creates data/ in it
    wrapper = directory / "pg_ctl"
    setpriv = f"setpriv --reuid={user} --regid={user} --clear-groups"
    wrapper.write_text(f'#!/bin/sh\ncd /\nexec {setpriv} {program} "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


def start_plain_server(kind: str, *options: str, port: int | None = None) -> Server:
    """A Redis or a memcached with nothing set but its address and `options`: the server's own
    defaults, for a test of what they are (start_server's set limits and policies)."""
    directory = server_directory(kind)
    port = port or free_port()
    if kind == "redis":
        redis_server = require("redis-server", "redis-server")
        argv = [redis_server, "--bind", LOOPBACK, "--port", str(port), "--save", ""]
        argv += ["--dir", str(directory), *options]
    elif kind == "memcached":
        argv = memcached_argv(port, *options)
    else:
        raise ValueError(f"Unknown plain server kind {kind!r}: redis or memcached.")
    executor = program_executor(kind, argv, directory, port)
    return started(Server(kind, executor, directory))


EXECUTORS = {
    "redis": redis_executor,
    "memcached": memcached_executor,
    "postgres": postgres_executor,
}


def database_settings(server: Server) -> dict[str, str | int]:
    """Django's DATABASES entry for the server's database."""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": POSTGRES_DATABASE,
        "USER": POSTGRES_USER,
        "PASSWORD": "",
        "HOST": LOOPBACK,
        "PORT": server.port,
    }


def require(program: str, package: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise RuntimeError(f"{program} is missing. Install it with: apt-get install -y {package}")
    return path
