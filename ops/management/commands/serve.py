"""`manage.py serve` (make serve): the site in production mode on one host, for a quick check.

DEBUG off, static files collected and served by WhiteNoise, gunicorn with the repository's
deploy/gunicorn.conf.py, the database of `make run` (var/db.sqlite3 unless DATABASE_URL says
otherwise), Redis and Memcached started as for `make run`. Plain HTTP on 127.0.0.1, so
cookies are not marked Secure.
"""

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.cluster import BASE_DIR, GUNICORN_CONF, is_live, prepare_site
from ops.management.foreground import loopback_port, wait_for_ctrl_c
from ops.services import LOOPBACK, ServiceError, running_services, spawn


def secret_key(var_dir: Path) -> str:
    """DJANGO_SECRET_KEY, or one made once and kept in var/ (sessions survive a restart)."""
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    path = var_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


class Command(BaseCommand):
    help = "Serve the site in production mode (DEBUG off, gunicorn, collected static files)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default=f"{LOOPBACK}:8000")
        parser.add_argument("--workers", type=int, help="gunicorn workers (default: 2 x CPUs + 1)")

    def handle(self, *args, addrport: str, workers: int | None, **options):
        port = loopback_port(addrport)
        var_dir = Path(settings.VAR_DIR)
        var_dir.mkdir(parents=True, exist_ok=True)
        environment = os.environ | {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secret_key(var_dir),
            "DJANGO_SECURE_COOKIES": "false",
            "GUNICORN_BIND": f"{LOOPBACK}:{port}",
        }
        if workers:
            environment["GUNICORN_WORKERS"] = str(workers)
        redis_port = urlsplit(settings.REDIS_URL).port or 6379
        memcached_port = int(settings.MEMCACHED_SERVERS[0].rpartition(":")[2])
        try:
            with running_services(redis_port, memcached_port, var_dir):
                self.stdout.write("Migrating, loading content, collecting static files...")
                prepare_site(environment, seed_lab=True)
                argv = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF)]
                gunicorn = spawn(
                    "gunicorn",
                    argv,
                    port,
                    var_dir / "gunicorn.log",
                    cwd=BASE_DIR,
                    env=environment,
                    ready=is_live,
                    ready_timeout=30,
                )
                self.stdout.write(
                    f"Cache Lab (DEBUG off) on http://{gunicorn.address}/ "
                    f"(log: {gunicorn.log_path}; Ctrl-C stops it)"
                )
                try:
                    wait_for_ctrl_c()
                finally:
                    gunicorn.stop()
        except ServiceError as error:
            raise CommandError(str(error)) from error
