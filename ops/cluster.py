"""The production layout on one machine, all on 127.0.0.1: `make cluster`, its tests, `make load`.

nginx (round robin, X-Forwarded-For, gzip; ops.nginx, with the proxy settings of deploy/nginx/)
in front of two gunicorn app hosts (DEBUG off, the repository's deploy/gunicorn.conf.py), one
PostgreSQL, one Redis and two Memcached servers.
Every part is a child process on a free port (nginx on the port asked for) that dies with
the process that started it; `Cluster.services` names them, so a drill can stop one and
start it again (Service.stop / Service.start).
"""

import contextlib
import http.client
import os
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ops.nginx import start_nginx
from ops.postgres import create_database, database_url, start_postgres
from ops.services import (
    LOOPBACK,
    Service,
    ServiceError,
    free_port,
    spawn,
    start_memcached,
    start_redis,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DEPLOY_DIR = BASE_DIR / "deploy"
GUNICORN_CONF = DEPLOY_DIR / "gunicorn.conf.py"
APP_HOSTS = ("app-a", "app-b")
MEMCACHED_NAMES = ("memcached-1", "memcached-2")
STARTUP_TIMEOUT = 30.0


@dataclass
class Cluster:
    url: str
    services: dict[str, Service] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        for service in reversed(list(self.services.values())):
            service.stop()


def is_live(port: int) -> bool:
    """True once the app host passes the load balancer's check: /healthz answers 200 (it
    can reach the database)."""
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def app_environment(
    postgres_port: int, redis_port: int, memcached_ports: list[int], var_dir: Path
) -> dict[str, str]:
    return os.environ | {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": f"{LOOPBACK},localhost",
        # Plain HTTP on loopback: a Secure cookie would never come back.
        "DJANGO_SECURE_COOKIES": "false",
        # nginx always sets X-Forwarded-Proto (ops.nginx): the app hosts believe it.
        "DJANGO_BEHIND_TLS_PROXY": "true",
        "DJANGO_TRUSTED_PROXY_COUNT": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url(postgres_port),
        "REDIS_URL": f"redis://{LOOPBACK}:{redis_port}/0",
        "MEMCACHED_SERVERS": ",".join(f"{LOOPBACK}:{port}" for port in memcached_ports),
        "CACHELAB_VAR_DIR": str(var_dir),
    }


def manage(environment: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ServiceError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def prepare_site(environment: dict[str, str], *, seed_lab: bool) -> None:
    """What an operator runs once per release: migrate, content, static files."""
    manage(environment, "migrate", "--noinput")
    fixtures = sorted(str(path) for path in (BASE_DIR / "fixtures").glob("*.json"))
    if fixtures:
        manage(environment, "loadcontent", *fixtures)
    if seed_lab:
        manage(environment, "seed_lab")
    manage(environment, "collectstatic", "--noinput")


def start_gunicorn(
    name: str, port: int, environment: dict[str, str], log_dir: Path, workers: int | None
) -> Service:
    host_environment = environment | {"GUNICORN_BIND": f"{LOOPBACK}:{port}"}
    if workers is not None:
        host_environment["GUNICORN_WORKERS"] = str(workers)
    argv = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF)]
    return spawn(
        name,
        argv,
        port,
        log_dir / f"{name}.log",
        cwd=BASE_DIR,
        env=host_environment,
        ready=is_live,
        ready_timeout=STARTUP_TIMEOUT,
    )


@contextlib.contextmanager
def running_cluster(
    var_dir: Path,
    *,
    port: int | None = None,
    workers: int | None = None,
    seed_lab: bool = False,
    environment: dict[str, str] | None = None,
    log: Callable[[str], None] = lambda _message: None,
) -> Iterator[Cluster]:
    """Start every part, prepare the database, yield the running cluster; stop it all after.
    `environment` adds settings for the app hosts. var_dir must be readable by PostgreSQL's
    unprivileged user (see ops.postgres)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(url="")
    try:
        log("Starting PostgreSQL, Redis and two memcached...")
        postgres = start_postgres(free_port(), var_dir / "postgres")
        cluster.services["postgres"] = postgres
        create_database(postgres.port)
        cluster.services["redis"] = start_redis(free_port(), var_dir / "redis", persist=False)
        for name in MEMCACHED_NAMES:
            cluster.services[name] = start_memcached(free_port(), var_dir / name)
        memcached_ports = [cluster.services[name].port for name in MEMCACHED_NAMES]
        cluster.environment = app_environment(
            postgres.port, cluster.services["redis"].port, memcached_ports, var_dir
        ) | (environment or {})
        log("Migrating, loading content, collecting static files...")
        prepare_site(cluster.environment, seed_lab=seed_lab)
        log("Starting two gunicorn app hosts and nginx...")
        for name in APP_HOSTS:
            cluster.services[name] = start_gunicorn(
                name, free_port(), cluster.environment, var_dir, workers
            )
        app_ports = [cluster.services[name].port for name in APP_HOSTS]
        nginx = start_nginx(port or free_port(), app_ports, var_dir / "nginx")
        cluster.services["nginx"] = nginx
        cluster.url = f"http://{LOOPBACK}:{nginx.port}"
        yield cluster
    finally:
        cluster.stop()
