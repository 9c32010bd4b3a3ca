"""`make load`: how many learners the cluster serves with p95 under 200 ms and no errors.

Starts a cluster of its own (ops.cluster.running_cluster: nginx, two gunicorn app hosts,
PostgreSQL, Redis, two memcached, all on 127.0.0.1), then runs Locust once, headless, with
the load shape of loadtest/locustfile.py: a warm-up, then steps picked by
loadtest.steps.StepSearch, each measured with Locust's own statistics. Between the start and
the end of each step's measurement (the shape's LOAD-STEP lines) this process reads the CPU
each part of the cluster, Locust and the whole machine used (loadtest.cpu). Bounded: at most
--max-users learners, a deadline for the whole run, and Locust stops by itself when the
figure is found. Writes bench-results/load.json and, with --readme, the README's block.

    python -m loadtest.run [--start-users 20] [--max-users 1000] [--seconds 40] [--readme README.md]
    python -m loadtest.run --host http://127.0.0.1:8080 ...   # a site already running
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loadtest import cpu
from loadtest.report import markdown, results, update_readme
from loadtest.steps import STEP_LINE, Step
from ops.cluster import BASE_DIR, running_cluster

LOCUSTFILE = Path(__file__).resolve().with_name("locustfile.py")
OUTPUT = BASE_DIR / "bench-results" / "load.json"
# Every simulated learner comes from 127.0.0.1, so the sandbox's per-address limit (meant
# for one client) would refuse the crowd: raised for the load run, per-learner limit kept.
LOAD_ENVIRONMENT = {"SANDBOX_CALLS_PER_MINUTE_PER_ADDRESS": str(10**6)}
MOST_STEPS = 24  # the search needs about 12; the deadline allows twice that


@dataclass(frozen=True)
class Plan:
    start_users: int = 20
    max_users: int = 1000
    seconds: float = 40
    ramp_seconds: float = 10
    warm_up_seconds: float = 20

    def deadline_seconds(self) -> float:
        per_step = 3 * self.ramp_seconds + self.seconds + 10
        return self.warm_up_seconds + MOST_STEPS * per_step + 60

    def locust_argv(self, url: str) -> list[str]:
        return [
            sys.executable, "-m", "locust",
            "--locustfile", str(LOCUSTFILE),
            "--headless",
            "--host", url,
            "--start-users", str(self.start_users),
            "--max-users", str(self.max_users),
            "--step-seconds", str(self.seconds),
            "--ramp-seconds", str(self.ramp_seconds),
            "--warm-up-seconds", str(self.warm_up_seconds),
            "--loglevel", "ERROR",
            "--only-summary",
            "--stop-timeout", "5",
        ]  # fmt: skip


def step_events(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    for line in lines:
        if line.startswith(STEP_LINE + " "):
            yield json.loads(line.removeprefix(STEP_LINE + " "))


@contextlib.contextmanager
def locust(plan: Plan, url: str) -> Iterator[subprocess.Popen]:
    """Locust running the shape against `url`, killed if it outlives the plan's deadline."""
    process = subprocess.Popen(
        plan.locust_argv(url),
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    watchdog = threading.Timer(plan.deadline_seconds(), process.kill)
    watchdog.start()
    try:
        yield process
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def run_steps(
    plan: Plan, url: str, parts: dict[str, int], log: Callable[[str], None] = print
) -> list[Step]:
    """One Locust run of the shape against `url`; the steps it measured, with the CPU of
    `parts` (name -> root pid), of Locust and of the machine during each."""
    steps: list[Step] = []
    output: list[str] = []
    with locust(plan, url) as process:
        watched = parts | {"locust": process.pid}
        before, started = cpu.snapshot(watched), time.monotonic()
        for event in step_events(kept(process.stdout, output)):
            if event["event"] == "measure-start":
                before, started = cpu.snapshot(watched), time.monotonic()
                continue
            seconds = time.monotonic() - started
            step = Step(**event["step"])
            step.cpu_cores = cpu.cores_between(before, cpu.snapshot(watched), seconds)
            step.load_average = round(os.getloadavg()[0], 2)
            steps.append(step)
            log_step(step, log)
        process.wait(30)
    if not steps or process.returncode not in (0, 1):  # 1: Locust saw failed requests
        raise RuntimeError(
            f"Locust ended with {process.returncode} after {len(steps)} step(s):\n"
            + "".join(output[-40:])
        )
    return steps


def kept(lines: Any, output: list[str]) -> Iterator[str]:
    """Locust's output, line by line, kept for an error message."""
    for line in lines:
        output.append(line)
        yield line


def log_step(step: Step, log: Callable[[str], None]) -> None:
    verdict = "pass" if step.passed else "FAIL"
    log(
        f"{step.users:>5} learners: {step.requests:>6} requests, {step.rps:>6.1f} req/s, "
        f"p50 {step.p50_ms:.0f} ms, p95 {step.p95_ms:.0f} ms, p99 {step.p99_ms:.0f} ms, "
        f"{step.failures} failures, {step.exceptions} exceptions "
        f"(load average {step.load_average}): {verdict}"
    )
    busiest = sorted(step.cpu_cores.items(), key=lambda item: -item[1])
    log("        CPU (cores): " + ", ".join(f"{name} {cores}" for name, cores in busiest))
    for example in step.failure_examples:
        log(f"        {example}")


def parts_of(cluster: Any) -> dict[str, int]:
    """Each part of the cluster and the pid at the root of its processes, where the cluster
    says (ops.cluster's services); none otherwise (then only Locust and the machine)."""
    parts = {}
    for name, service in getattr(cluster, "services", {}).items():
        process = getattr(service, "process", None)
        if process is not None and getattr(process, "pid", None):
            parts[name] = process.pid
    return parts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start-users", type=int, default=20)
    parser.add_argument("--max-users", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=40, help="measured seconds per step")
    parser.add_argument("--warm-up-seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, help="gunicorn workers per app host")
    parser.add_argument("--host", help="load this running site instead of a cluster of its own")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--readme", type=Path)
    args = parser.parse_args(argv)
    plan = Plan(args.start_users, args.max_users, args.seconds, 10, args.warm_up_seconds)
    started = time.monotonic()
    if args.host:
        steps = run_steps(plan, args.host, {})
        report = results(steps, plan, {"layout": f"a running site at {args.host}"})
    else:
        with tempfile.TemporaryDirectory(prefix="cachelab-load-") as work:
            work_dir = Path(work)
            work_dir.chmod(0o755)  # PostgreSQL's unprivileged user works in here
            with running_cluster(
                work_dir / "cluster", workers=args.workers, environment=LOAD_ENVIRONMENT, log=print
            ) as cluster:
                print(f"Cluster up at {cluster.url}; Locust warms it up, then steps:")
                steps = run_steps(plan, cluster.url, parts_of(cluster))
                report = results(steps, plan, cluster_setup(cluster, args.workers))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    text = markdown(report)
    print()
    print(text)
    print(f"Wrote {args.output} ({time.monotonic() - started:.0f} s in all).")
    if args.readme:
        update_readme(args.readme, text)
        print(f"Updated {args.readme}.")


def cluster_setup(cluster: Any, workers: int | None) -> dict[str, Any]:
    return {
        "layout": "nginx round robin -> 2 gunicorn app hosts; PostgreSQL, Redis, 2 memcached",
        "workers_per_app_host": workers or "2 x CPUs + 1 (deploy/gunicorn.conf.py)",
        "database": getattr(cluster, "environment", {}).get("DATABASE_URL", "").split("@")[-1],
    }


if __name__ == "__main__":
    main()
