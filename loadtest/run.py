"""`make load`: how many learners the cluster serves with p95 under 200 ms and no errors.

Starts a cluster of its own (ops.cluster: nginx, two gunicorn app hosts, PostgreSQL,
Redis, two memcached, all on 127.0.0.1), then runs Locust headless (loadtest/locustfile.py)
in steps: the number of simulated learners doubles while a step passes, then halves the gap
between the last pass and the first failure. Every step is bounded in learners (--max-users)
and time (ramp-up, then --seconds measured with fresh statistics). Prints each step and the
per-endpoint latency of the best passing step, writes bench-results/load.json and, with
--readme, the figure into the README's performance section.

    python -m loadtest.run [--start-users 20] [--max-users 1000] [--seconds 40] [--readme README.md]
"""

import argparse
import contextlib
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from ops.cluster import BASE_DIR, Cluster, running_cluster

LOCUSTFILE = Path(__file__).resolve().with_name("locustfile.py")
OUTPUT = BASE_DIR / "bench-results" / "load.json"
P95_LIMIT_MS = 200.0
THINK_SECONDS = (1, 5)
README_START = "<!-- load:start -->"
README_END = "<!-- load:end -->"
# Every simulated learner comes from 127.0.0.1, so the sandbox's per-address limit (meant
# for one client) would refuse the crowd: raised for the load run, per-learner limit kept.
LOAD_ENVIRONMENT = {"SANDBOX_CALLS_PER_MINUTE_PER_ADDRESS": str(10**6)}


@dataclass
class Step:
    users: int
    requests: int
    failures: int
    exceptions: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    endpoints: list[dict[str, Any]] = field(default_factory=list)
    failure_examples: list[str] = field(default_factory=list)
    load_average: float = 0.0  # the machine's 1-minute load average after the step
    # Share of one core each part used over the step (Locust included): where the time goes.
    cpu_cores: dict[str, float] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return (
            self.requests > 0
            and self.failures == 0
            and self.exceptions == 0
            and self.p95_ms < P95_LIMIT_MS
        )


def number(value: str) -> float:
    try:
        return float(value)
    except ValueError:  # Locust writes "N/A" for an empty row
        return 0.0


def endpoint_row(row: dict[str, str]) -> dict[str, Any]:
    return {
        "method": row["Type"],
        "name": row["Name"],
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": round(number(row["Requests/s"]), 1),
        "p50_ms": number(row["50%"]),
        "p95_ms": number(row["95%"]),
        "p99_ms": number(row["99%"]),
        "max_ms": round(number(row["Max Response Time"]), 1),
    }


def read_step(users: int, prefix: Path) -> Step:
    with open(f"{prefix}_stats.csv", newline="") as stats_file:
        rows = [endpoint_row(row) for row in csv.DictReader(stats_file)]
    total = next(row for row in rows if row["name"] == "Aggregated")
    with open(f"{prefix}_failures.csv", newline="") as failures_file:
        failures = [
            f"{row['Method']} {row['Name']}: {row['Error']} (x{row['Occurrences']})"
            for row in csv.DictReader(failures_file)
        ]
    with open(f"{prefix}_exceptions.csv", newline="") as exceptions_file:
        exception_rows = list(csv.DictReader(exceptions_file))
    exceptions = [f"{row['Message']} (x{row['Count']})" for row in exception_rows]
    return Step(
        users=users,
        requests=total["requests"],
        failures=total["failures"],
        exceptions=sum(int(row["Count"]) for row in exception_rows),
        rps=total["rps"],
        p50_ms=total["p50_ms"],
        p95_ms=total["p95_ms"],
        p99_ms=total["p99_ms"],
        endpoints=[row for row in rows if row["name"] != "Aggregated"],
        failure_examples=(failures + exceptions)[:5],
    )


def run_step(url: str, users: int, seconds: int, work_dir: Path) -> Step:
    """Ramp up `users` learners in about 10 s, reset the statistics, measure `seconds`."""
    work_dir.mkdir(parents=True, exist_ok=True)
    prefix = work_dir / f"users-{users}"
    ramp_seconds = 10
    argv = [
        sys.executable, "-m", "locust",
        "--locustfile", str(LOCUSTFILE),
        "--headless",
        "--host", url,
        "--users", str(users),
        "--spawn-rate", str(max(1.0, users / ramp_seconds)),
        "--run-time", f"{ramp_seconds + seconds}s",
        "--reset-stats",
        "--csv", str(prefix),
        "--only-summary",
        "--loglevel", "ERROR",
        "--stop-timeout", "5",
    ]  # fmt: skip
    done = subprocess.run(
        argv, cwd=BASE_DIR, capture_output=True, text=True, check=False, timeout=seconds + 120
    )
    if not Path(f"{prefix}_stats.csv").exists():
        raise RuntimeError(f"Locust wrote no statistics:\n{done.stdout[-2000:]}{done.stderr}")
    return read_step(users, prefix)


def warm_up(url: str, work_dir: Path) -> None:
    """Every gunicorn worker compiles its templates and fills its memos on its first requests:
    a short unmeasured run first, so step one does not measure cold workers."""
    run_step(url, users=10, seconds=20, work_dir=work_dir / "warm-up")


def search(measure: Callable[[int], Step], start: int, maximum: int) -> list[Step]:
    """The steps that find the most learners that pass: double from `start` while a step
    passes (up to `maximum`), halve down if even the first fails, then halve the gap between
    the best pass and the first failure down to 10% of the figure."""
    steps: list[Step] = []

    def passes(users: int) -> bool:
        steps.append(measure(users))
        return steps[-1].passed

    best, worst = 0, None
    users = min(start, maximum)
    while worst is None and best < maximum:
        if passes(users):
            best, users = users, min(users * 2, maximum)
        else:
            worst = users
    while not best and worst is not None and worst > 1:
        users = worst // 2
        if passes(users):
            best = users
        else:
            worst = users
    while worst is not None and best and worst - best > max(5, best // 10):
        users = (best + worst) // 2
        if passes(users):
            best = users
        else:
            worst = users
    return steps


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and all its children (gunicorn's workers)."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def cpu_by_part(cluster: Cluster) -> dict[str, float]:
    parts = {name: cpu_seconds(service.process.pid) for name, service in cluster.services.items()}
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # Locust runs, once they have ended
    return parts | {"locust": usage.ru_utime + usage.ru_stime}


def measured_step(
    cluster: Cluster, seconds: int, work_dir: Path, log=print
) -> Callable[[int], Step]:
    def measure(users: int) -> Step:
        cpu_before, started = cpu_by_part(cluster), time.monotonic()
        step = run_step(cluster.url, users, seconds, work_dir)
        cpu_after, wall = cpu_by_part(cluster), time.monotonic() - started
        step.cpu_cores = {
            name: round((cpu_after[name] - cpu_before[name]) / wall, 2) for name in cpu_after
        }
        step.load_average = round(os.getloadavg()[0], 2)
        verdict = "pass" if step.passed else "FAIL"
        log(
            f"{users:>5} learners: {step.requests:>6} requests, {step.rps:>6.1f} req/s, "
            f"p50 {step.p50_ms:.0f} ms, p95 {step.p95_ms:.0f} ms, p99 {step.p99_ms:.0f} ms, "
            f"{step.failures} failures, {step.exceptions} exceptions "
            f"(load average {step.load_average}): {verdict}"
        )
        busiest = sorted(step.cpu_cores.items(), key=lambda item: -item[1])
        log("        CPU (cores): " + ", ".join(f"{name} {cores}" for name, cores in busiest))
        for example in step.failure_examples:
            log(f"        {example}")
        return step

    return measure


def best_step(steps: list[Step]) -> Step | None:
    passing = [step for step in steps if step.passed]
    return max(passing, key=lambda step: step.users) if passing else None


def machine() -> dict[str, Any]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def results(steps: list[Step], cluster: Cluster, seconds: int, workers: int | None) -> dict:
    best = best_step(steps)
    return {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "machine": machine(),
        "setup": {
            "layout": "nginx round robin -> 2 gunicorn app hosts; PostgreSQL, Redis, 2 memcached",
            "workers_per_app_host": workers or "2 x CPUs + 1 (deploy/gunicorn.conf.py)",
            "all_on": "127.0.0.1, one machine, with Locust on the same cores",
            "think_time_seconds": list(THINK_SECONDS),
            "mix": "lesson page (30% then marked read) 5 : whole quiz (hint 30%) 2 : sandbox run 3",
            "measured_seconds_per_step": seconds,
            "database": cluster.environment.get("DATABASE_URL", "").split("@")[-1],
        },
        "criteria": {"p95_ms_below": P95_LIMIT_MS, "errors": 0},
        "max_learners": best.users if best else 0,
        # No step failed: the cluster serves at least this many, the most the run tried.
        "reached_max_users": bool(best) and not any(not step.passed for step in steps),
        "steps": [asdict(step) | {"passed": step.passed} for step in steps],
        "endpoints_at_max": best.endpoints if best else [],
    }


def markdown(report: dict[str, Any]) -> str:
    setup, best = report["setup"], report["max_learners"]
    lines = [
        f"Measured {report['measured_at']} on {report['machine']['cpu']}, "
        f"{report['machine']['cores']} cores (Locust on the same machine); {setup['layout']}; "
        f"think time {setup['think_time_seconds'][0]}-{setup['think_time_seconds'][1]} s; "
        f"mix: {setup['mix']}.",
        "",
        f"**{'at least ' if report['reached_max_users'] else ''}{best} simulated learners** "
        f"served with p95 under {P95_LIMIT_MS:.0f} ms and no errors.",
        "",
        "| learners | req/s | p50 | p95 | p99 | errors | load average | verdict |",
        "|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for step in sorted(report["steps"], key=lambda step: step["users"]):
        errors = step["failures"] + step["exceptions"]
        verdict = "pass" if step["passed"] else "fail"
        lines.append(
            f"| {step['users']} | {step['rps']:.1f} | {step['p50_ms']:.0f} ms | "
            f"{step['p95_ms']:.0f} ms | {step['p99_ms']:.0f} ms | {errors} | "
            f"{step['load_average']} | {verdict} |"
        )
    at_best = next((step for step in report["steps"] if step["users"] == best), None)
    if at_best and at_best["cpu_cores"]:
        busiest = sorted(at_best["cpu_cores"].items(), key=lambda item: -item[1])
        lines += [
            "",
            f"Where the time goes at {best} learners (CPU cores used, of "
            f"{report['machine']['cores']}): "
            + ", ".join(f"{name} {cores:.2f}" for name, cores in busiest)
            + ".",
        ]
    lines += [
        "",
        f"Per endpoint at {best} learners:",
        "",
        "| endpoint | requests | req/s | p50 | p95 | p99 | max |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for row in report["endpoints_at_max"]:
        lines.append(
            f"| `{row['method']} {row['name']}` | {row['requests']} | {row['rps']:.1f} | "
            f"{row['p50_ms']:.0f} ms | {row['p95_ms']:.0f} ms | {row['p99_ms']:.0f} ms | "
            f"{row['max_ms']:.0f} ms |"
        )
    return "\n".join(lines) + "\n"


def update_readme(readme: Path, text: str) -> None:
    content = readme.read_text()
    start, end = content.index(README_START), content.index(README_END)
    readme.write_text(content[: start + len(README_START)] + "\n" + text + content[end:])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start-users", type=int, default=20)
    parser.add_argument("--max-users", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=40, help="measured seconds per step")
    parser.add_argument("--workers", type=int, help="gunicorn workers per app host")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--readme", type=Path)
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cachelab-load-") as work:
        work_dir = Path(work)
        work_dir.chmod(0o755)  # PostgreSQL's unprivileged user works in here
        with running_cluster(
            work_dir / "cluster",
            workers=args.workers,
            environment=LOAD_ENVIRONMENT,
            log=print,
        ) as cluster:
            print(f"Cluster up at {cluster.url}; warming up the app hosts...")
            warm_up(cluster.url, work_dir)
            print(f"Locust steps of {args.seconds} s measured:")
            measure = measured_step(cluster, args.seconds, work_dir / "csv")
            steps = search(measure, args.start_users, args.max_users)
            report = results(steps, cluster, args.seconds, args.workers)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    text = markdown(report)
    print()
    print(text)
    print(f"Wrote {args.output} ({time.monotonic() - started:.0f} s in all).")
    if args.readme:
        update_readme(args.readme, text)
        print(f"Updated {args.readme}.")


if __name__ == "__main__":
    main()
