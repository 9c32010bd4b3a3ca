"""gunicorn settings for a Cache Lab app host (used by `make serve` and `make cluster`).

    gunicorn -c deploy/gunicorn.conf.py

GUNICORN_BIND (default 127.0.0.1:8000) and GUNICORN_WORKERS (default 2 x usable CPUs + 1,
gunicorn's own advice for sync workers) override the defaults; the rest is the production
example. Usable CPUs: the ones this process may run on, capped by a cgroup CPU quota
(ops.cpus), not the machine's count: a container limited to 2 CPUs on a 64-core host would
otherwise start 129 workers.
"""

import os
import sys
from pathlib import Path

# gunicorn reads this file before it changes directory: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ops.cpus import usable_cpus

wsgi_app = "cachelab.wsgi"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * usable_cpus() + 1))
# Sync workers: every view is short, and nginx buffers slow clients and holds the
# keep-alive connections in front (a sync worker answers one request per connection).
worker_class = "sync"
timeout = 30  # a worker stuck longer is killed and replaced
graceful_timeout = 10
max_requests = 5000  # recycle workers now and then: bounds any slow leak
max_requests_jitter = 500
# Whether a request came over HTTPS is Django's decision (DJANGO_BEHIND_TLS_PROXY), taken
# from the X-Forwarded-Proto that nginx sets. gunicorn would otherwise act on that header
# itself, but only from 127.0.0.1: one layout on this machine, another in production.
secure_scheme_headers: dict[str, str] = {}

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# The client's address as the site reads it (DJANGO_TRUSTED_PROXY_COUNT, ops.clients), the
# request, status, size and time taken in microseconds.
logger_class = "ops.access_log.ClientAddressLogger"
access_log_format = '%(client)s "%(r)s" %(s)s %(B)s %(D)sus'
errorlog = "-"
loglevel = "info"
