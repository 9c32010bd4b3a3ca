"""The steps of `make load`: what a step measured, when it passes, and which learner count
to try next. Plain Python (no Locust, no gevent): the load shape (loadtest/locustfile.py)
and the run (loadtest/run.py) both use it, and it is tested on its own.

The search doubles the learners from `start` while a step passes (up to `maximum`), halves
down if even the first fails, then halves the gap between the best pass and the first failure
until it is within 10% of the figure (or 5 learners).
"""

from dataclasses import dataclass, field
from typing import Any

P95_LIMIT_MS = 200.0
STEP_LINE = "LOAD-STEP"  # the load shape's lines on Locust's output that loadtest.run reads


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
    seconds: float = 0.0  # measured (after the ramp, statistics reset at its start)
    endpoints: list[dict[str, Any]] = field(default_factory=list)
    failure_examples: list[str] = field(default_factory=list)
    load_average: float = 0.0  # the machine's 1-minute load average after the step
    # Cores each part of the cluster (and Locust) used over the measured seconds, and the
    # whole machine (other work included): where the time goes.
    cpu_cores: dict[str, float] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return (
            self.requests > 0
            and self.failures == 0
            and self.exceptions == 0
            and self.p95_ms < P95_LIMIT_MS
        )


class StepSearch:
    """Which learner count to measure next, given the steps measured so far."""

    def __init__(self, start: int, maximum: int) -> None:
        self.maximum = maximum
        self.best = 0
        self.worst: int | None = None
        self.first = min(start, maximum)

    def next_users(self, step: Step) -> int | None:
        """The next count after `step`, or None when the figure is found."""
        if step.passed:
            self.best = max(self.best, step.users)
        else:
            self.worst = step.users if self.worst is None else min(self.worst, step.users)
        if self.worst is None:
            return min(self.best * 2, self.maximum) if self.best < self.maximum else None
        if not self.best:
            return self.worst // 2 if self.worst > 1 else None
        if self.worst - self.best > max(5, self.best // 10):
            return (self.best + self.worst) // 2
        return None


def search(measure: Any, start: int, maximum: int) -> list[Step]:
    """Measure steps as StepSearch picks them (measure(users) -> Step): the steps, in order."""
    picker, steps = StepSearch(start, maximum), []
    users: int | None = picker.first
    while users is not None:
        steps.append(measure(users))
        users = picker.next_users(steps[-1])
    return steps
