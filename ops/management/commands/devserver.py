"""`manage.py devserver`: Redis and Memcached as child processes, then runserver.

The servers are started only where settings point at this machine (127.0.0.1 or
localhost) and nothing answers there yet; they stop when the dev server stops.
"""

import os
import signal
import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ops.services import ServiceError, running_services

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def local_port(host: str | None, port: int | None, default: int) -> int | None:
    if host not in LOCAL_HOSTS:
        return None
    return port or default


class Command(BaseCommand):
    help = "Start Redis and Memcached on 127.0.0.1, then serve the site with runserver."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--noreload",
            action="store_false",
            dest="use_reloader",
            help="Do not restart the server when code changes.",
        )

    def handle(self, *args, addrport: str, use_reloader: bool, **options):
        def serve() -> None:
            call_command("runserver", addrport, use_reloader=use_reloader)

        if os.environ.get("RUN_MAIN"):  # the autoreloader's child: services already run
            serve()
            return
        redis = urlsplit(settings.REDIS_URL)
        memcached = urlsplit(f"//{settings.MEMCACHED_SERVERS[0]}")
        redis_port = local_port(redis.hostname, redis.port, 6379)
        memcached_port = local_port(memcached.hostname, memcached.port, 11211)
        if redis_port is None or memcached_port is None:
            self.stdout.write("REDIS_URL or MEMCACHED_SERVERS is not local: not starting servers.")
            serve()
            return
        # Ctrl-C and a plain `kill` both stop the servers, even when a shell that started
        # this in the background set SIGINT to be ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        var_dir = Path(settings.VAR_DIR)
        try:
            with running_services(redis_port, memcached_port, var_dir) as services:
                for service in services:
                    how = "started" if service.process else "already running, reused"
                    self.stdout.write(f"{service.name} on {service.address} ({how})")
                serve()
        except ServiceError as error:
            raise CommandError(str(error)) from error
