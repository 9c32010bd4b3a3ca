"""The site under test: its environment, a fresh database, and gunicorn serving it."""

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from bench.http_load import Site
from bench.targets import FLOOR, Load
from ops.services import LOOPBACK, free_port, spawn, wait_until

READY_TIMEOUT = 20.0


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def site_environment(work_dir: Path, redis_url: str, memcached: str) -> dict[str, str]:
    return os.environ | {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": LOOPBACK,
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_LOG_LEVEL": "ERROR",
        "DATABASE_URL": f"sqlite:///{work_dir / 'db.sqlite3'}",
        "REDIS_URL": redis_url,
        "MEMCACHED_SERVERS": memcached,
        "CACHELAB_VAR_DIR": str(work_dir),
        # The load comes from one learner on one address: measure the calls, not the 429s
        # (the rate limiter itself still runs on every call).
        "SANDBOX_CALLS_PER_MINUTE": str(10**9),
        "SANDBOX_CALLS_PER_MINUTE_PER_ADDRESS": str(10**9),
    }


def prepare_database(env: dict[str, str], load: Load) -> None:
    manage(env, "migrate", "--noinput")
    fixtures = sorted(str(path) for path in (Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
    if fixtures:
        manage(env, "loadcontent", *fixtures)
    manage(env, "seed_lab", f"--orders={load.shop_orders}")
    manage(env, "collectstatic", "--noinput")  # DEBUG off: WhiteNoise serves the manifest


@contextmanager
def gunicorn(env: dict[str, str], workers: int, work_dir: Path) -> Iterator[Site]:
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "cachelab.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"{LOOPBACK}:{port}",
        "--graceful-timeout",
        "2",
    ]
    log = work_dir / "gunicorn.log"
    server = spawn("gunicorn", argv, port, log, cwd=settings.BASE_DIR, env=env)
    site = Site(f"http://{LOOPBACK}:{port}")
    try:
        wait_until(lambda _port: serves_floor(site), server, READY_TIMEOUT)
        yield site
    finally:
        server.stop()


def serves_floor(site: Site) -> bool:
    try:
        return site.request(FLOOR) == 200
    except OSError:
        return False
