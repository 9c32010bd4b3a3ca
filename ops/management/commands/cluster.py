"""`manage.py cluster` (make cluster): the production layout on 127.0.0.1 until Ctrl-C.

nginx on ADDRPORT in front of two gunicorn app hosts, one PostgreSQL, one Redis, two
memcached (ops.cluster). PostgreSQL keeps its data in var/cluster between runs.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.cluster import running_cluster
from ops.management.foreground import loopback_port, wait_for_ctrl_c
from ops.services import LOOPBACK, ServiceError


class Command(BaseCommand):
    help = "Run nginx, two gunicorn app hosts, PostgreSQL, Redis and two memcached on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default=f"{LOOPBACK}:8080")
        parser.add_argument("--workers", type=int, help="gunicorn workers per app host")

    def handle(self, *args, addrport: str, workers: int | None, **options):
        port = loopback_port(addrport)
        var_dir = Path(settings.VAR_DIR) / "cluster"
        try:
            with running_cluster(
                var_dir, port=port, workers=workers, seed_lab=True, log=self.stdout.write
            ) as cluster:
                for name, service in cluster.services.items():
                    self.stdout.write(f"  {name:<12} {service.address}  log: {service.log_path}")
                self.stdout.write(f"Cache Lab through nginx: {cluster.url}/  (Ctrl-C stops all)")
                wait_for_ctrl_c()
        except ServiceError as error:
            raise CommandError(str(error)) from error
