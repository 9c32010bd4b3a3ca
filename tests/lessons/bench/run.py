"""Benchmark: a lesson page, the lesson list and the home page against a bare Django view.

    .venv/bin/python -m tests.lessons.bench.run [seconds]

Starts its own Redis on a free port, a throwaway SQLite database with the course loaded and
one gunicorn sync worker (DEBUG off), then drives each URL with wrk (1 thread, 1 connection,
so the figures are per worker), alternating URLs for several rounds and keeping each URL's
best round, which is the least disturbed by other work on the machine. The lesson page runs
twice: as a first visit (no cookies, the worst case: a new CSRF secret and the progress
cookie are made on every request) and as a returning learner who sends both cookies back.
Prints; asserts nothing.
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from cachelab.services import free_port, start_redis

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
LESSON = "/lessons/why-cache/"
RETURNING = "returning learner"
URLS = ["/bare", LESSON, RETURNING, "/lessons/", "/"]
ROUNDS = 3


def environment(tmp: Path, redis_address: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.lessons.bench.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "REDIS_URL": f"redis://{redis_address}/0",
        "CACHELAB_VAR_DIR": str(tmp),
        "LESSONS_BENCH_STATIC_ROOT": str(tmp / "static"),
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([BIN / "python", "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def cookies_of(url: str) -> str:
    """The Cookie header a browser would send back after visiting `url`."""
    with urllib.request.urlopen(url) as response:
        return "; ".join(value.split(";")[0] for value in response.headers.get_all("Set-Cookie"))


def wrk(url: str, seconds: int, cookie: str = "") -> float:
    argv = ["wrk", "-t1", "-c1", f"-d{seconds}s", url]
    if cookie:
        argv[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("Requests/sec"))
    return float(line.split()[1])


def measure(base: str, seconds: int) -> dict[str, float]:
    cookie = cookies_of(base + LESSON)
    best = dict.fromkeys(URLS, 0.0)
    for _ in range(ROUNDS):
        for name in URLS:
            if name == RETURNING:
                rate = wrk(base + LESSON, seconds, cookie)
            else:
                rate = wrk(base + name, seconds)
            best[name] = max(best[name], rate)
    return best


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        redis = start_redis(free_port(), tmp, persist=False)
        env = environment(tmp, redis.address)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "loadcontent", "fixtures/lessons.json")
        manage(env, "collectstatic", "--noinput", "-v0")
        port = free_port()
        argv = [BIN / "gunicorn", "cachelab.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"]
        server = subprocess.Popen(argv, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for path in ["/bare", LESSON, "/lessons/", "/"]:  # warm the caches
                wait_for(base + path)
            best = measure(base, seconds)
        finally:
            server.terminate()
            server.wait()
            redis.stop()
    bare = best["/bare"]
    for name, rate in best.items():
        print(f"{name:24s} {rate:8.0f} req/s  {rate / bare:6.0%} of the bare view")


if __name__ == "__main__":
    main()
