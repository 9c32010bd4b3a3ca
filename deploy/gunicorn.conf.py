"""gunicorn settings for a Cache Lab app host (used by `make serve` and `make cluster`).

    gunicorn -c deploy/gunicorn.conf.py cachelab.wsgi

GUNICORN_BIND (default 127.0.0.1:8000) and GUNICORN_WORKERS (default 2 x CPUs + 1, gunicorn's
own advice for sync workers) override the defaults; the rest is the production example.
"""

import multiprocessing
import os

wsgi_app = "cachelab.wsgi"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"  # every view is short; nginx buffers slow clients in front
timeout = 30  # a worker stuck longer is killed and replaced
graceful_timeout = 10
keepalive = 2
max_requests = 5000  # recycle workers now and then: bounds any slow leak
max_requests_jitter = 500

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# The client as nginx saw it, the request, status, size and time taken in microseconds.
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(D)sus'
errorlog = "-"
loglevel = "info"
