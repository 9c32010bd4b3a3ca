"""`manage.py bench`: how fast the cache backends and the platform's own pages are.

1. Per-operation get/set latency through Django's cache API on each backend against the
   raw client (redis-py, pymemcache) on the same server, and their ratio.
2. HTTP throughput and p50/p99 latency under a bounded load on 127.0.0.1: gunicorn with
   2 workers (DEBUG off) driven by Debian's `wrk`, each URL as a ratio to a minimal 2 KB
   view (the framework floor) measured in the same run.

Everything runs on its own: a fresh SQLite database, Redis and Memcached on free ports,
collected static files, all under a temporary directory that is removed afterwards.
"""

import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import django
import redis
from django.conf import settings
from django.core.cache import CacheHandler
from pymemcache.client.base import Client as MemcacheClient

from cachelab.cache_config import SANDBOX_ALIASES, build_caches
from cachelab.services import (
    LOOPBACK,
    free_port,
    spawn,
    start_memcached,
    start_redis,
    wait_until,
)

BASE_DIR = Path(settings.BASE_DIR)
VALUE = "x" * 100  # a small cached value, as most cache entries are
READY_TIMEOUT = 20.0


# --- what to load -------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    method: str = "GET"
    body: str = ""
    content_type: str = ""
    goal: float | None = None  # the least share of the floor's requests per second wanted
    prime_from: str = ""  # GET this first for the CSRF and session cookies a POST needs
    start_from: str = ""  # then POST this and load the page it redirects to (a quiz attempt)


FLOOR = Target("floor: minimal view, 2 KB", "/lab/floor")
SANDBOX_CALL = json.dumps(
    {
        "code": "cache.set('bench', 'value', timeout=300)\ncache.get('bench')",
        "backends": list(SANDBOX_ALIASES),
    }
)
# The apps are built in parallel: a URL that does not exist yet is reported as such.
DEFAULT_TARGETS = [
    FLOOR,
    Target("lesson page", "/lessons/why-cache/", goal=0.70),
    Target(
        "quiz question step",
        "",
        goal=0.50,
        prime_from="/quiz/practice/",
        start_from="/quiz/practice/start/",
    ),
    Target(
        "sandbox API: set+get on 4 backends",
        "/sandbox/api/run",
        method="POST",
        body=SANDBOX_CALL,
        content_type="application/json",
        goal=0.30,
        prime_from="/sandbox/",
    ),
    Target("/lab/ report, warm django-redis", "/lab/?backend=django-redis"),
]
# The measurements behind the site's settings (CONN_MAX_AGE, the `default` cache backend).
SETTINGS_TARGETS = [
    Target("floor + one 1-row SQLite query", "/lab/floor?probe=db"),
    Target("floor + one cache.get, Django's RedisCache", "/lab/floor?probe=redis"),
    Target("floor + one cache.get, django-redis", "/lab/floor?probe=django-redis"),
    Target("floor + one cache.get, PyMemcacheCache", "/lab/floor?probe=memcached"),
]
NO_PERSISTENT_CONNECTIONS = [
    FLOOR,
    Target("floor + one 1-row SQLite query, CONN_MAX_AGE=0", "/lab/floor?probe=db"),
]


def load_targets(path: Path) -> list[Target]:
    """A JSON list of objects with Target's fields; the floor is always measured first."""
    targets = [Target(**item) for item in json.loads(path.read_text())]
    return [FLOOR, *(target for target in targets if target.path != FLOOR.path)]


@dataclass(frozen=True)
class Load:
    """Each URL is loaded `rounds` times for `seconds`, each time right after the floor, and
    compared with that floor run: on a shared machine that keeps the ratios steadier than
    one long run each."""

    seconds: int = 1
    rounds: int = 4
    warm_up_seconds: int = 1
    threads: int = 2
    connections: int = 16
    workers: int = 2
    op_repeats: int = 5_000
    shop_orders: int = 20_000
    settings_series: bool = True


FULL = Load()
SHORT = Load(
    seconds=1,
    rounds=1,
    warm_up_seconds=0,
    threads=1,
    connections=4,
    op_repeats=200,
    shop_orders=300,
    settings_series=False,
)


# --- 1. cache operations --------------------------------------------------------------


def median_us(operation: Callable[[], Any], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter_ns()
        operation()
        timings.append(time.perf_counter_ns() - started)
    return round(statistics.median(timings) / 1000, 1)


def raw_clients(redis_url: str, memcached: str) -> dict[str, Any]:
    host, _, port = memcached.rpartition(":")
    return {
        "redis": redis.Redis.from_url(redis_url),
        "memcached": MemcacheClient((host, int(port)), no_delay=True, default_noreply=False),
    }


RAW_OF = {"locmem": None, "redis": "redis", "django-redis": "redis", "memcached": "memcached"}


def operation(client: Any, op: str, key: str) -> Callable[[], Any]:
    """Django's caches and both raw clients share set(key, value) and get(key)."""
    return partial(client.set, key, VALUE) if op == "set" else partial(client.get, key)


def cache_operations(redis_url: str, memcached: str, repeats: int) -> list[dict[str, Any]]:
    handler = CacheHandler(build_caches(redis_url, [memcached]))
    raw = raw_clients(redis_url, memcached)
    rows = []
    for backend, alias in SANDBOX_ALIASES.items():
        cache = handler[alias]
        client = raw[RAW_OF[backend]] if RAW_OF[backend] else None
        key = f"bench:{backend}"
        for op in ("set", "get"):
            row: dict[str, Any] = {
                "backend": backend,
                "op": op,
                "django_us": median_us(operation(cache, op, key), repeats),
            }
            if client is not None:
                row["raw_client"] = type(client).__module__.split(".")[0]
                row["raw_us"] = median_us(operation(client, op, key), repeats)
                row["ratio"] = round(row["django_us"] / row["raw_us"], 2)
            rows.append(row)
    handler.close_all()
    return rows


# --- 2. HTTP under load ---------------------------------------------------------------

WRK_SCRIPT = """
wrk.method = {method}
wrk.body = {body}
{headers}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH-JSON {{\\"requests\\": %d, \\"duration_us\\": %d, \\"p50_us\\": %d, \\"p99_us\\": %d, "
    .. "\\"non_2xx\\": %d, \\"socket_errors\\": %d}}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def wrk_script(target: Target, headers: dict[str, str]) -> str:
    lines = [
        f"wrk.headers[ {lua_string(name)} ] = {lua_string(value)}"
        for name, value in headers.items()
    ]
    return WRK_SCRIPT.format(
        method=lua_string(target.method),
        body=lua_string(target.body) if target.body else "nil",
        headers="\n".join(lines),
    )


@dataclass
class Site:
    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, target: Target, path: str | None = None, method: str | None = None) -> int:
        """One request; remembers the cookies it is given. Returns the status code."""
        method = method or target.method
        data = target.body.encode() if method == "POST" and target.body else None
        request = urllib.request.Request(
            self.base_url + (path or target.path),
            data=data,
            method=method,
            headers=self.headers(target),
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                self.keep_cookies(response.headers.get_all("Set-Cookie") or [])
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def start(self, target: Target) -> str:
        """POST target.start_from; the path it redirects to (e.g. the new attempt's page)."""
        request = urllib.request.Request(
            self.base_url + target.start_from,
            data=b"",
            method="POST",
            headers={**self.headers(replace(target, method="POST")), "Referer": self.base_url},
        )
        try:
            NO_REDIRECTS.open(request, timeout=10)
        except urllib.error.HTTPError as error:
            self.keep_cookies(error.headers.get_all("Set-Cookie") or [])
            if error.code in (301, 302, 303):
                return urllib.parse.urlsplit(error.headers["Location"]).path
            raise RuntimeError(f"POST {target.start_from} answered {error.code}") from error
        raise RuntimeError(f"POST {target.start_from} did not redirect")

    def keep_cookies(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()

    def headers(self, target: Target) -> dict[str, str]:
        headers = {"Content-Type": target.content_type} if target.content_type else {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies and target.method == "POST":
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        return headers


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # hand the redirect back, with the cookies it sets


NO_REDIRECTS = urllib.request.build_opener(_KeepRedirects)


def resolve(site: Site, target: Target) -> Target:
    """The target with its path, for one whose page exists only after starting something."""
    if not target.start_from:
        return target
    if target.prime_from:
        site.request(target, path=target.prime_from, method="GET")
    return replace(target, path=site.start(target))


def availability(site: Site, target: Target) -> str:
    """'ok', or why the URL cannot be measured (checked with one real request)."""
    if target.prime_from:
        status = site.request(target, path=target.prime_from, method="GET")
        if status != 200:
            return f"not available ({target.prime_from} answered {status})"
    status = site.request(target)
    if status == 404:
        return "not available (404)"
    if not 200 <= status < 300:
        return f"not available ({status})"
    return "ok"


def run_wrk(site: Site, target: Target, load: Load, work_dir: Path) -> dict[str, Any]:
    script = work_dir / "bench.lua"
    script.write_text(wrk_script(target, site.headers(target)))
    argv = [
        "wrk",
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{load.seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(script),
        site.base_url + target.path,
    ]
    output = subprocess.run(
        argv, capture_output=True, text=True, check=True, timeout=load.seconds + 30
    )
    line = next(line for line in output.stdout.splitlines() if line.startswith("BENCH-JSON "))
    figures = json.loads(line.removeprefix("BENCH-JSON "))
    seconds = figures["duration_us"] / 1e6
    return {
        "requests": figures["requests"],
        "rps": round(figures["requests"] / seconds, 1),
        "p50_ms": round(figures["p50_us"] / 1000, 2),
        "p99_ms": round(figures["p99_us"] / 1000, 2),
        "non_2xx": figures["non_2xx"],
        "socket_errors": figures["socket_errors"],
    }


def run_wrk_seconds(site: Site, target: Target, load: Load, work_dir: Path, seconds: int) -> dict:
    return run_wrk(site, target, replace(load, seconds=seconds), work_dir)


def summarise_rounds(runs: list[dict[str, Any]], floors: list[dict[str, Any]]) -> dict[str, Any]:
    def median_of(name: str) -> float:
        return round(statistics.median(run[name] for run in runs), 2)

    ratios = [run["rps"] / floor["rps"] for run, floor in zip(runs, floors, strict=True)]
    return {
        "rps": median_of("rps"),
        "p50_ms": median_of("p50_ms"),
        "p99_ms": median_of("p99_ms"),
        "requests": sum(run["requests"] for run in runs),
        "non_2xx": sum(run["non_2xx"] for run in runs),
        "socket_errors": sum(run["socket_errors"] for run in runs),
        "rounds": runs,
        "ratio_to_floor": round(statistics.median(ratios), 3),
    }


def measure_targets(site: Site, targets: list[Target], load: Load, work_dir: Path) -> list[dict]:
    """targets[0] is the floor. Each other URL is loaded in `rounds` rounds, each right after
    a run of the floor, and its share of the floor is the median of those paired ratios."""
    targets = [resolve(site, target) for target in targets]
    rows = [
        {
            "name": target.name,
            "method": target.method,
            "path": target.path,
            "goal": target.goal,
            "status": availability(site, target),
        }
        for target in targets
    ]
    if rows[0]["status"] != "ok":
        raise RuntimeError(f"The floor {targets[0].path} is {rows[0]['status']}.")
    live = [
        (target, row) for target, row in zip(targets, rows, strict=True) if row["status"] == "ok"
    ]
    if load.warm_up_seconds:  # every worker imports, compiles and connects before we count
        for target, _ in live:
            run_wrk_seconds(site, target, load, work_dir, load.warm_up_seconds)
    floor_runs: list[dict[str, Any]] = []
    for target, row in live[1:]:
        floors, runs = [], []
        for _ in range(load.rounds):
            floors.append(run_wrk(site, FLOOR, load, work_dir))
            runs.append(run_wrk(site, target, load, work_dir))
        floor_runs += floors
        row |= summarise_rounds(runs, floors)
        if target.goal is not None:
            row["meets_goal"] = row["ratio_to_floor"] >= target.goal
    if not floor_runs:  # only the floor is available
        floor_runs = [run_wrk(site, FLOOR, load, work_dir) for _ in range(load.rounds)]
    live[0][1].update(summarise_rounds(floor_runs, floor_runs))
    return rows


# --- the site under test --------------------------------------------------------------


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
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
    fixtures = sorted(str(path) for path in (BASE_DIR / "fixtures").glob("*.json"))
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
    server = spawn("gunicorn", argv, port, work_dir / "gunicorn.log", cwd=BASE_DIR, env=env)
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
        http: dict[str, Any] = {"load": asdict(load)}
        if shutil.which("wrk") is None:
            http["skipped"] = "wrk is not installed: scripts/system-packages wrk"
            return {
                "started": started,
                "machine": machine(load_before),
                "cache_operations": operations,
                "http": http,
            }
        env = site_environment(work_dir, redis_url, memcached_server.address)
        log("Preparing the database and static files...")
        prepare_database(env, load)
        with gunicorn(env, load.workers, work_dir) as site:
            log(f"Loading {len(targets)} URLs through gunicorn...")
            http["pages"] = measure_targets(site, targets, load, work_dir)
            if load.settings_series:
                http["settings"] = measure_targets(site, [FLOOR, *SETTINGS_TARGETS], load, work_dir)
        if load.settings_series:
            env["DJANGO_CONN_MAX_AGE"] = "0"
            with gunicorn(env, load.workers, work_dir) as site:
                http["conn_max_age_0"] = measure_targets(
                    site, NO_PERSISTENT_CONNECTIONS, load, work_dir
                )
    return {
        "started": started,
        "machine": machine(load_before),
        "cache_operations": operations,
        "http": http,
    }


# --- the report -----------------------------------------------------------------------


def _ops_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| backend | operation | Django cache API | raw client | ratio |",
        "|---|---|--:|--:|--:|",
    ]
    for row in rows:
        raw = (
            f"{row['raw_us']} µs ({row['raw_client']})"
            if "raw_us" in row
            else "n/a (in-process dict)"
        )
        ratio = f"{row['ratio']}x" if "ratio" in row else "n/a"
        lines.append(
            f"| {row['backend']} | {row['op']} | {row['django_us']} µs | {raw} | {ratio} |"
        )
    return lines


def _goal(row: dict[str, Any]) -> str:
    if row.get("goal") is None:
        return ""
    verdict = ("met" if row["meets_goal"] else "MISSED") if "meets_goal" in row else "not measured"
    return f"≥ {row['goal']:.0%}: {verdict}"


def _http_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["| URL | req/s | p50 | p99 | share of floor | goal |", "|---|--:|--:|--:|--:|---|"]
    for row in rows:
        name = f"{row['name']} (`{row['method']} {row['path']}`)"
        if row["status"] != "ok":
            lines.append(f"| {name} | {row['status']} | | | | {_goal(row)} |")
            continue
        errors = f" ({row['non_2xx']} non-2xx!)" if row["non_2xx"] else ""
        share = f"{row['ratio_to_floor']:.0%}" if "ratio_to_floor" in row else ""
        lines.append(
            f"| {name} | {row['rps']:,.0f}{errors} | {row['p50_ms']} ms | "
            f"{row['p99_ms']} ms | {share} | {_goal(row)} |"
        )
    return lines


def markdown(results: dict[str, Any]) -> str:
    machine, http = results["machine"], results["http"]
    load = http["load"]
    busy = machine["load_average_1min"]
    lines = [
        f"Measured {results['started']} on {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['system']}, Python {machine['python']}, Django {machine['django']}; "
        f"1-minute load average {busy['before']:.1f} before, {busy['after']:.1f} after "
        "(other work on the machine lowers and scatters every figure).",
        "",
        "Cache operations (median of "
        f"{load['op_repeats']:,} calls, 100-byte value, servers on 127.0.0.1):",
        "",
        *_ops_table(results["cache_operations"]),
        "",
    ]
    if "skipped" in http:
        return "\n".join([*lines, f"HTTP: skipped ({http['skipped']})."])
    lines += [
        f"HTTP (gunicorn, {load['workers']} sync workers, DEBUG off, SQLite; "
        f"`wrk -t{load['threads']} -c{load['connections']} -d{load['seconds']}s`, "
        f"{load['rounds']} rounds per URL after a warm-up, each right after a run of the floor; "
        "medians, and the median share of the floor run just before):",
        "",
        *_http_table(http["pages"]),
    ]
    for key, title in [
        ("settings", "Settings probes (persistent connections, CONN_MAX_AGE=600)"),
        ("conn_max_age_0", "Without persistent connections (CONN_MAX_AGE=0)"),
    ]:
        if key in http:
            lines += ["", f"{title}:", "", *_http_table(http[key])]
    return "\n".join(lines) + "\n"


README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


def update_readme(readme: Path, table: str) -> None:
    text = readme.read_text()
    before, start, rest = text.partition(README_START)
    _, end, after = rest.partition(README_END)
    if not start or not end:
        raise ValueError(f"{readme} has no {README_START} ... {README_END} markers.")
    readme.write_text(f"{before}{README_START}\n{table}{README_END}{after}")
