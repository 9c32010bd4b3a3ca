"""A PostgreSQL cluster of the project's own on 127.0.0.1: for the tests and `make cluster`.

Debian's `postgresql` package (binaries in /usr/lib/postgresql/<version>/bin). The cluster
is created with `initdb` in a directory of its own, and PostgreSQL refuses to run as root,
so as root the server runs as the `postgres` user the package creates (or `nobody`). It
listens on TCP 127.0.0.1 only (no Unix socket) with trust authentication for the one
database user, which is why it must never listen anywhere else.
"""

import os
import pwd
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
from psycopg import sql

from ops.services import LAUNCHER, LOOPBACK, Service, ServiceError, spawn

SUPERUSER = "cachelab"
DATABASE = "cachelab"
POSTGRES_GLOB = "/usr/lib/postgresql/*/bin/postgres"


def postgres_bin_dir() -> Path:
    candidates = sorted(Path("/").glob(POSTGRES_GLOB.lstrip("/")), key=version_of, reverse=True)
    if candidates:
        return candidates[0].parent
    found = shutil.which("postgres")
    if found is None:
        raise ServiceError(
            "PostgreSQL is not installed. Install it with: sudo apt-get install -y postgresql"
        )
    return Path(found).parent


def version_of(postgres: Path) -> float:
    try:
        return float(postgres.parent.parent.name)
    except ValueError:
        return 0.0


def server_user() -> str | None:
    """Who runs the server: this user, or as root an unprivileged one."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise ServiceError("Running as root and no 'postgres' or 'nobody' user to run PostgreSQL as.")


def database_url(port: int, name: str = DATABASE) -> str:
    return f"postgres://{SUPERUSER}@{LOOPBACK}:{port}/{name}"


def postgres_answers(port: int) -> bool:
    try:
        with psycopg.connect(
            host=LOOPBACK, port=port, user=SUPERUSER, dbname="postgres", connect_timeout=1
        ):
            return True
    except psycopg.Error:
        return False


def owned_data_dir(data_dir: Path, user: str | None) -> None:
    """PostgreSQL wants its data directory to belong to the server's user, mode 0700."""
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o700)
    if user is not None:
        account = pwd.getpwnam(user)
        os.chown(data_dir, account.pw_uid, account.pw_gid)


def initdb(bin_dir: Path, data_dir: Path, user: str | None) -> None:
    owned_data_dir(data_dir, user)
    launcher = [sys.executable, "-I", str(LAUNCHER), str(os.getpid())]
    if user:
        launcher += ["--user", user]
    argv = [
        str(bin_dir / "initdb"),
        "--pgdata", str(data_dir),
        "--username", SUPERUSER,
        "--auth", "trust",
        "--encoding", "UTF8",
        "--locale", "C.UTF-8",
        "--no-sync",
    ]  # fmt: skip
    done = subprocess.run([*launcher, "--", *argv], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ServiceError(f"initdb failed in {data_dir}:\n{done.stdout}{done.stderr}")


def start_postgres(port: int, data_dir: Path, *, durable: bool = True) -> Service:
    """Start (after initdb on first use) a cluster in data_dir on LOOPBACK:port. With
    durable=False, commits skip fsync: for throwaway test clusters."""
    bin_dir = postgres_bin_dir()
    user = server_user()
    if not (data_dir / "PG_VERSION").exists():
        initdb(bin_dir, data_dir, user)
    settings = {
        "listen_addresses": LOOPBACK,
        "port": str(port),
        "unix_socket_directories": "",
        "max_connections": "100",
        "shared_buffers": "64MB",
        "fsync": "on" if durable else "off",
        "synchronous_commit": "on" if durable else "off",
        "full_page_writes": "on" if durable else "off",
    }
    argv = [str(bin_dir / "postgres"), "-D", str(data_dir)]
    for name, value in settings.items():
        argv += ["-c", f"{name}={value}"]
    log_path = data_dir.parent / f"{data_dir.name}.log"
    # SIGINT is PostgreSQL's "fast" shutdown: SIGTERM ("smart") waits for every client to
    # disconnect, and app servers keep their connections open.
    return spawn(
        "postgres",
        argv,
        port,
        log_path,
        ready=postgres_answers,
        user=user,
        stop_signal=signal.SIGINT,
    )


def create_database(port: int, name: str = DATABASE) -> None:
    with psycopg.connect(
        host=LOOPBACK, port=port, user=SUPERUSER, dbname="postgres", autocommit=True
    ) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
