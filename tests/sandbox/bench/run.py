"""Benchmark: POST /sandbox/api/run (set + get on all four backends) against a bare Django view.

    .venv/bin/python -m tests.sandbox.bench.run [seconds]

Starts its own Redis and Memcached on free ports, a throwaway SQLite database and one
gunicorn sync worker (DEBUG off), then drives both URLs with wrk (1 thread, 1 connection, so
the figures are per worker and not a test of the machine's core count) and prints req/s, the
ratio, and the cache-call latencies the sandbox itself reports. Prints; asserts nothing.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from cachelab.services import free_port, start_memcached, start_redis

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
BODY = {
    "code": "cache.set('greeting', 'hello', timeout=300)\ncache.get('greeting')",
    "backends": ["locmem", "redis", "django-redis", "memcached"],
    "server": "A",
}


def environment(tmp: Path, redis_address: str, memcached_address: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.sandbox.bench.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "REDIS_URL": f"redis://{redis_address}/0",
        "MEMCACHED_SERVERS": memcached_address,
    }


def wait_for(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


WITHOUT_BUILTIN_REDIS = {**BODY, "backends": ["locmem", "django-redis", "memcached"]}


def api_post(url: str, cookie: str = "") -> tuple[dict, str]:
    request = urllib.request.Request(
        url, json.dumps(BODY).encode(), {"Content-Type": "application/json", "Cookie": cookie}
    )
    with urllib.request.urlopen(request) as response:
        set_cookie = response.headers.get("Set-Cookie", "")
        return json.loads(response.read()), set_cookie.split(";")[0]


def wrk(url: str, seconds: int, lua: Path | None = None) -> float:
    argv = ["wrk", "-t1", "-c1", f"-d{seconds}s", url]
    if lua:
        argv[1:1] = ["-s", str(lua)]
    output = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("Requests/sec"))
    return float(line.split()[1])


def post_script(tmp: Path, cookie: str, body: dict) -> Path:
    script = tmp / f"post-{len(body['backends'])}.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(json.dumps(body))}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Cookie"] = "{cookie}"\n'
    )
    return script


def latencies(url: str, cookie: str, runs: int = 200) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in BODY["backends"]}
    for _ in range(runs):
        body, _ = api_post(url, cookie)
        for line in body["lines"]:
            for name, result in line["results"].items():
                samples[name].append(result["latency_us"])
    return {name: statistics.median(values) for name, values in samples.items()}


def main(seconds: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        redis = start_redis(free_port(), tmp / "redis", persist=False)
        memcached = start_memcached(free_port(), tmp / "memcached")
        env = environment(tmp, redis.address, memcached.address)
        subprocess.run(
            [BIN / "python", "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        port = free_port()
        server = subprocess.Popen(
            [
                BIN / "gunicorn",
                "cachelab.wsgi",
                "-w",
                "1",
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/bare")
            _, cookie = api_post(f"{base}/sandbox/api/run")
            wrk(f"{base}/bare", 2)  # warm up
            bare = wrk(f"{base}/bare", seconds)
            api = f"{base}/sandbox/api/run"
            sandbox = wrk(api, seconds, post_script(tmp, cookie, BODY))
            three = wrk(api, seconds, post_script(tmp, cookie, WITHOUT_BUILTIN_REDIS))
            medians = latencies(f"{base}/sandbox/api/run", cookie)
        finally:
            server.terminate()
            server.wait(timeout=10)
            redis.stop()
            memcached.stop()
    print(f"bare Django view:                  {bare:8.0f} req/s")
    print(f"sandbox API, set+get x 4 backends: {sandbox:8.0f} req/s ({sandbox / bare:.0%} of bare)")
    print(f"  the same without built-in Redis:  {three:8.0f} req/s ({three / bare:.0%} of bare)")
    print("median cache-call latency per backend (set and get together), microseconds:")
    for name, value in medians.items():
        print(f"  {name:13s} {value:8.1f}")
    ratio = medians["redis"] / medians["django-redis"]
    print(f"built-in RedisCache / django-redis per call: {ratio:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
