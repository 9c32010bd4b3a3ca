"""One benchmark run, from empty servers to the results (a JSON-ready dict)."""

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from typing import Any

import django
from django.conf import settings

from bench.cache_ops import cache_operations
from bench.http_load import Examine, measure_targets
from bench.server import gunicorn, prepare_database, site_environment
from bench.targets import FLOOR, NO_PERSISTENT_CONNECTIONS, SETTINGS_TARGETS, Load, Target
from ops.services import free_port, start_memcached, start_redis


def machine(load_before: float) -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "load_average_1min": {"before": load_before, "after": os.getloadavg()[0]},
    }


def examiner(env: dict[str, str]) -> Examine:
    """Runs `python -m bench.profile` on the benchmark's site (its database and servers)."""

    def examine(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        done = subprocess.run(
            [sys.executable, "-m", "bench.profile"],
            input=json.dumps(specs),
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"bench.profile failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout)

    return examine


def measure_http(
    env: dict[str, str], load: Load, targets: list[Target], work_dir: Path, log: Callable
) -> dict[str, Any]:
    http: dict[str, Any] = {"load": asdict(load)}
    log("Preparing the database and static files...")
    prepare_database(env, load)
    with gunicorn(env, load.workers, work_dir) as site:
        log(f"Loading {len(targets)} URLs through gunicorn...")
        http["pages"] = measure_targets(site, targets, load, work_dir, examiner(env))
        if load.settings_series:
            http["settings"] = measure_targets(site, [FLOOR, *SETTINGS_TARGETS], load, work_dir)
    if load.settings_series:
        with gunicorn(env | {"DJANGO_CONN_MAX_AGE": "0"}, load.workers, work_dir) as site:
            http["conn_max_age_0"] = measure_targets(
                site, NO_PERSISTENT_CONNECTIONS, load, work_dir
            )
    return http


def run(load: Load, targets: list[Target], log: Callable[[str], None] = print) -> dict[str, Any]:
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    load_before = os.getloadavg()[0]
    with ExitStack() as stack:
        work_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cachelab-bench-")))
        redis_server = start_redis(free_port(), work_dir / "redis", persist=False)
        stack.callback(redis_server.stop)
        memcached_server = start_memcached(free_port(), work_dir / "memcached")
        stack.callback(memcached_server.stop)
        redis_url = f"redis://{redis_server.address}/0"
        log("Measuring cache operations...")
        operations = cache_operations(redis_url, memcached_server.address, load.op_repeats)
        if shutil.which("wrk") is None:
            http = {
                "load": asdict(load),
                "skipped": "wrk is not installed: scripts/system-packages wrk",
            }
        else:
            env = site_environment(work_dir, redis_url, memcached_server.address)
            http = measure_http(env, load, targets, work_dir, log)
    return {
        "started": started,
        "machine": machine(load_before),
        "cache_operations": operations,
        "http": http,
    }
