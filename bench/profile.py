"""Where a page's time goes, and the round trips it really makes, on the benchmark's own site.

Run by `bench.runner` as `python -m bench.profile` with the benchmark site's environment (its
database, Redis, Memcached and secret key), between the wrk runs, so nothing else uses the
servers. It reads a JSON list of requests on stdin (method, path, body, content type,
headers and the learner's cookies, as wrk sends them) and writes, per request, on stdout:

- `round_trips_counted`: the round trips one warm request makes (`bench.round_trips`);
- with `"profile": true`, `profile`: cProfile over repeated requests through Django's handler
  in this one process (no HTTP server): own time grouped by area (templates, database, Redis
  client, the site's apps...) and the busiest functions.
"""

import cProfile
import json
import os
import pstats
import sys
import time
from dataclasses import asdict
from typing import Any

BUILT_INS = "Python built-ins"
PROFILE_SECONDS = 2.0
MAX_PROFILED_REQUESTS = 300
TOP_FUNCTIONS = 8
# (part of the file path, area) in the order they are tried: the first that matches names it.
AREAS = [
    ("/django/test/", "the profiling client (not in production)"),
    ("/django/template/", "templates"),
    ("/template_partials/", "templates"),
    ("/django/db/", "database (ORM and driver)"),
    ("/psycopg/", "database (ORM and driver)"),
    ("sqlite3", "database (ORM and driver)"),
    ("/django_redis/", "Redis client"),
    ("/redis/", "Redis client"),
    ("/pymemcache/", "Memcached client"),
    ("/django/contrib/sessions/", "sessions"),
    ("/django/core/signing", "sessions"),
    ("/django/middleware/", "middleware"),
    ("/django/contrib/", "middleware"),
    ("/axes/", "middleware"),
    ("/whitenoise/", "middleware"),
    ("/django_htmx/", "middleware"),
    ("/django/core/handlers/", "request handling"),
    ("/django/http/", "request handling"),
    ("/django/urls/", "request handling"),
    ("/django/utils/", "Django utilities"),
    ("/django/", "Django, other"),
    ("socket", "waiting on the servers (socket I/O)"),
    ("select", "waiting on the servers (socket I/O)"),
]


def area_of(filename: str, function: str, base_dir: str) -> str:
    text = f"{filename}:{function}"
    for part, area in AREAS:
        if part in text:
            return area
    if "/site-packages/" in filename:
        return filename.split("/site-packages/", 1)[1].split("/")[0].removesuffix(".py")
    if filename.startswith(base_dir):
        return f"the site's {filename[len(base_dir) :].lstrip('/').split('/')[0]}"
    return BUILT_INS if filename == "~" else "Python standard library"


def owners(area: str, row: tuple, base_dir: str) -> list[tuple[str, float]]:
    """Who a function's own time belongs to: its area, but a built-in's (getattr,
    isinstance...) goes to the areas of its callers, in proportion to the calls' time."""
    own, callers = row[2], row[4]
    if area != BUILT_INS or not callers:
        return [(area, own)]
    shares = []
    for (filename, _line, function), edge in callers.items():
        caller = area_of(filename, function, base_dir)
        shares.append((BUILT_INS if caller == BUILT_INS else caller, edge[2]))
    return shares


def client_for(spec: dict[str, Any]):
    from django.test import Client

    client = Client(HTTP_HOST=spec.get("host", "127.0.0.1"))
    for name, value in spec.get("cookies", {}).items():
        client.cookies[name] = value
    return client


def send(client, spec: dict[str, Any]) -> Any:
    """The response to the request `spec` describes."""
    headers = spec.get("headers", {})
    if spec["method"] == "POST":
        body, content_type = spec.get("body", ""), spec.get("content_type") or "text/plain"
        return client.post(spec["path"], body, content_type=content_type, headers=headers)
    return client.get(spec["path"], headers=headers)


def profile(client, spec: dict[str, Any], base_dir: str) -> dict[str, Any]:
    profiler, requests, started = cProfile.Profile(), 0, time.perf_counter()
    while requests < MAX_PROFILED_REQUESTS and time.perf_counter() - started < PROFILE_SECONDS:
        profiler.enable()
        send(client, spec)
        profiler.disable()
        requests += 1
    by_area: dict[str, float] = {}
    functions = []
    for (filename, line, function), row in pstats.Stats(profiler).stats.items():  # type: ignore[attr-defined]
        area = area_of(filename, function, base_dir)
        for owner, seconds in owners(area, row, base_dir):
            by_area[owner] = by_area.get(owner, 0.0) + seconds
        functions.append((row[2], area, f"{os.path.basename(filename)}:{line}({function})"))
    harness = by_area.pop("the profiling client (not in production)", 0.0)
    total = sum(by_area.values()) or 1.0
    functions = [item for item in functions if not item[1].startswith("the profiling client")]
    return {
        "requests": requests,
        "ms_per_request": round(total * 1000 / max(requests, 1), 2),
        "harness_ms_per_request": round(harness * 1000 / max(requests, 1), 2),
        "by_area": [
            {"area": area, "share": round(seconds / total, 3)}
            for area, seconds in sorted(by_area.items(), key=lambda item: -item[1])
        ],
        "top_functions": [
            {"function": name, "area": area, "share": round(own / total, 3)}
            for own, area, name in sorted(functions, reverse=True)[:TOP_FUNCTIONS]
        ],
    }


def examine(spec: dict[str, Any], base_dir: str) -> dict[str, Any]:
    from bench.round_trips import counting

    client = client_for(spec)
    for _ in range(2):  # connections made, per-process memos filled: the steady state
        send(client, spec)
    with counting() as counted:
        status = send(client, spec).status_code
    result: dict[str, Any] = {
        "status": status,
        "round_trips_counted": asdict(counted.round_trips),
    }
    if spec.get("profile"):
        result["profile"] = profile(client, spec, base_dir)
    return result


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cachelab.settings")
    import django
    from django.conf import settings

    django.setup()
    base_dir = str(settings.BASE_DIR)
    specs = json.loads(sys.stdin.read())
    json.dump([examine(spec, base_dir) for spec in specs], sys.stdout)


if __name__ == "__main__":
    main()
