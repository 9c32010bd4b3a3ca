"""Start and stop the servers the project runs on 127.0.0.1 (Redis, Memcached, and through
ops.postgres and ops.cluster PostgreSQL, gunicorn and nginx).

Used by `manage.py devserver` (the servers of `make run`, data under var/), by the test
fixtures (their own servers on free ports) and by `make cluster`. Every server is a child
process that dies with its parent (cachelab/launch.py), bound to loopback; Redis and
Memcached have a memory cap and memcached runs TCP only.
"""

import contextlib
import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK = "127.0.0.1"
READY_TIMEOUT = 10.0
LAUNCHER = Path(__file__).resolve().with_name("launch.py")


class ServiceError(RuntimeError):
    pass


@dataclass
class Service:
    """A server on LOOPBACK:port. One started here (argv set) can be stopped and started
    again with the same command line, port and data, as an operator restarts a server."""

    name: str
    port: int
    process: subprocess.Popen | None = None  # None when an already running server is reused
    log_path: Path | None = None
    argv: list[str] = field(default_factory=list)
    ready: Callable[[int], bool] | None = None
    cwd: Path | None = None
    env: dict[str, str] | None = None
    user: str | None = None
    stop_signal: int = signal.SIGTERM
    ready_timeout: float = READY_TIMEOUT

    @property
    def address(self) -> str:
        return f"{LOOPBACK}:{self.port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start the command line as a child that dies with this process; wait until it
        answers when a readiness check is known. Linux ties the parent-death signal to the
        starting thread: start servers from a thread that outlives them (the main one)."""
        if not self.argv:
            raise ServiceError(f"{self.name} on {self.address} was not started here.")
        assert self.log_path is not None
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        launcher = [sys.executable, "-I", str(LAUNCHER), str(os.getpid())]
        if self.user:
            launcher += ["--user", self.user]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*launcher, "--", *self.argv],
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        if self.ready is not None:
            wait_until(self.ready, self, self.ready_timeout)

    def stop(self) -> None:
        if not self.running:
            return
        assert self.process is not None
        self.process.send_signal(self.stop_signal)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def restart(self) -> None:
        self.stop()
        self.start()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def _ask(port: int, request: bytes, expect: bytes, timeout: float = 0.5) -> bool:
    """Send one request; True when the answer starts with `expect`."""
    try:
        with socket.create_connection((LOOPBACK, port), timeout=timeout) as sock:
            sock.sendall(request)
            return sock.recv(64).startswith(expect)
    except OSError:
        return False


def redis_answers(port: int) -> bool:
    return _ask(port, b"PING\r\n", b"+PONG")


def memcached_answers(port: int) -> bool:
    return _ask(port, b"version\r\n", b"VERSION")


def require_binary(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ServiceError(
            f"{name} is not installed. Install it with: sudo apt-get install -y {package}"
        )
    return path


def wait_until(
    check: Callable[[int], bool], service: Service, timeout: float = READY_TIMEOUT
) -> None:
    """Return once check(port) is true; stop the service and raise if it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check(service.port):
            return
        if service.process is not None and service.process.poll() is not None:
            break
        time.sleep(0.05)
    service.stop()
    log = (
        service.log_path.read_text()[-2000:]
        if service.log_path and service.log_path.exists()
        else ""
    )
    raise ServiceError(f"{service.name} did not answer on {service.address}.\n{log}")


def spawn(
    name: str,
    argv: list[str],
    port: int,
    log_path: Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    *,
    ready: Callable[[int], bool] | None = None,
    user: str | None = None,
    stop_signal: int = signal.SIGTERM,
    ready_timeout: float = READY_TIMEOUT,
) -> Service:
    """Start a server as a child process that dies with this one, its output in log_path;
    with `ready`, return once ready(port) is true."""
    service = Service(
        name=name,
        port=port,
        log_path=log_path,
        argv=argv,
        ready=ready,
        cwd=cwd,
        env=env,
        user=user,
        stop_signal=stop_signal,
        ready_timeout=ready_timeout,
    )
    service.start()
    return service


def start_redis(
    port: int, data_dir: Path, *, persist: bool = True, maxmemory_mb: int = 64
) -> Service:
    binary = require_binary("redis-server", "redis-server")
    data_dir.mkdir(parents=True, exist_ok=True)
    argv = [
        binary,
        "--bind", LOOPBACK,
        "--port", str(port),
        "--protected-mode", "yes",
        "--dir", str(data_dir),
        "--dbfilename", "dump.rdb",
        # Persistence is a server setting: snapshot every 5 minutes if anything changed.
        "--save", "300 1" if persist else "",
        "--appendonly", "no",
        "--maxmemory", f"{maxmemory_mb}mb",
        "--maxmemory-policy", "allkeys-lru",
        "--daemonize", "no",
    ]  # fmt: skip
    return spawn("redis-server", argv, port, data_dir / "redis.log", ready=redis_answers)


def start_memcached(port: int, log_dir: Path, *, memory_mb: int = 64) -> Service:
    binary = require_binary("memcached", "memcached")
    argv = [
        binary,
        "-l", LOOPBACK,
        "-p", str(port),
        "-U", "0",  # no UDP
        "-m", str(memory_mb),
        "-u", getpass.getuser(),  # as root, memcached refuses to start without -u
    ]  # fmt: skip
    return spawn("memcached", argv, port, log_dir / "memcached.log", ready=memcached_answers)


@contextlib.contextmanager
def running_services(
    redis_port: int, memcached_port: int, var_dir: Path
) -> Iterator[list[Service]]:
    """Start Redis and Memcached unless something already answers on their port; stop
    what was started on the way out."""
    services: list[Service] = []
    try:
        if redis_answers(redis_port):
            services.append(Service("redis-server", redis_port))
        else:
            services.append(start_redis(redis_port, var_dir / "redis"))
        if memcached_answers(memcached_port):
            services.append(Service("memcached", memcached_port))
        else:
            services.append(start_memcached(memcached_port, var_dir / "memcached"))
        yield services
    finally:
        for service in reversed(services):
            service.stop()
