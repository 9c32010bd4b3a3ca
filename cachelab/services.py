"""Start and stop the Redis and Memcached servers the project runs on 127.0.0.1.

Used by `manage.py devserver` (the servers of `make run`, data under var/) and by the
test fixtures (their own servers on free ports). Both servers are bound to loopback
with a memory cap; memcached runs TCP only.
"""

import contextlib
import ctypes
import getpass
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"
READY_TIMEOUT = 10.0
PR_SET_PDEATHSIG = 1


class ServiceError(RuntimeError):
    pass


@dataclass
class Service:
    name: str
    port: int
    process: subprocess.Popen | None = None  # None when an already running server is reused
    log_path: Path | None = None

    @property
    def address(self) -> str:
        return f"{LOOPBACK}:{self.port}"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


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


def _die_with_parent() -> None:
    """Runs in the child before exec: ask Linux to SIGTERM it when its parent dies, so a
    killed dev server or test run never leaves a server behind."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(
    name: str,
    argv: list[str],
    port: int,
    log_path: Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Service:
    """Start a server as a child process that dies with this one, its output in log_path."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
    return Service(name=name, port=port, process=process, log_path=log_path)


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
    service = spawn("redis-server", argv, port, data_dir / "redis.log")
    wait_until(redis_answers, service)
    return service


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
    service = spawn("memcached", argv, port, log_dir / "memcached.log")
    wait_until(memcached_answers, service)
    return service


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
