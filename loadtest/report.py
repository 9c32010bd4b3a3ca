"""`make load`'s results: the JSON of bench-results/load.json and the README's block."""

import os
import platform
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loadtest.steps import P95_LIMIT_MS, Step

README_START = "<!-- load:start -->"
README_END = "<!-- load:end -->"
THINK_SECONDS = (1, 5)
MIX = "lesson page (30% then marked read) 5 : whole quiz (hint 30%) 2 : sandbox run 3"
# Not parts of the cluster: shown after them, in this order.
TOTALS = ("machine", "other work")


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


def results(steps: list[Step], plan: Any, setup: dict[str, Any]) -> dict[str, Any]:
    best = best_step(steps)
    return {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "machine": machine(),
        "setup": {
            **setup,
            "all_on": "127.0.0.1, one machine, with Locust on the same cores",
            "think_time_seconds": list(THINK_SECONDS),
            "mix": MIX,
            "measured_seconds_per_step": plan.seconds,
            "shape": "Locust LoadTestShape (loadtest/locustfile.py): warm-up "
            f"{plan.warm_up_seconds:.0f} s, then each step ramps to its learners and is "
            "measured with fresh statistics; learners stay from step to step",
        },
        "criteria": {"p95_ms_below": P95_LIMIT_MS, "errors": 0},
        "max_learners": best.users if best else 0,
        # No step failed: the cluster serves at least this many, the most the run tried.
        "reached_max_users": bool(best) and all(step.passed for step in steps),
        "steps": [asdict(step) | {"passed": step.passed} for step in steps],
        "endpoints_at_max": best.endpoints if best else [],
    }


def cpu_sentence(step: dict[str, Any], cores: int) -> list[str]:
    used = step.get("cpu_cores") or {}
    parts = sorted(
        ((name, value) for name, value in used.items() if name not in TOTALS),
        key=lambda item: -item[1],
    )
    if not parts:
        return []
    totals = [(name, used[name]) for name in TOTALS if name in used]
    listed = ", ".join(f"{name} {value:.2f}" for name, value in [*parts, *totals])
    return [
        "",
        f"Where the CPU went at {step['users']} learners (cores used over the measured "
        f"seconds, of {cores}; each part with all its processes, a recycled worker's time "
        f"included): {listed}.",
    ]


def markdown(report: dict[str, Any]) -> str:
    setup, best = report["setup"], report["max_learners"]
    lines = [
        f"Measured {report['measured_at']} on {report['machine']['cpu']}, "
        f"{report['machine']['cores']} cores (Locust on the same machine); {setup['layout']}; "
        f"think time {setup['think_time_seconds'][0]}-{setup['think_time_seconds'][1]} s; "
        f"mix: {setup['mix']}; {setup['shape']}.",
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
    if at_best:
        lines += cpu_sentence(at_best, report["machine"]["cores"])
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
