"""`manage.py bench` (`make bench`): how fast the cache backends and the site's pages are.

1. Per-operation get/set latency through Django's cache API on each backend of the catalogue
   against the raw client (redis-py, pymemcache) on the same server (`bench.cache_ops`).
2. HTTP throughput and p50/p99 latency under a bounded load on 127.0.0.1: gunicorn (DEBUG off)
   driven by Debian's `wrk`, each URL as a share of a minimal 2 KB view, the framework floor,
   measured in the same run (`bench.targets`, `bench.http_load`, `bench.server`).

Everything runs on its own (`bench.runner`): a fresh SQLite database, Redis and Memcached on
free ports and collected static files under a temporary directory removed afterwards. The
results become JSON and a Markdown report (`bench.report`).
"""
