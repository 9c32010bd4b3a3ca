"""Locust's picture of a learner on Cache Lab, and the load shape `make load` runs.

Each simulated learner reads lessons (marking 30% read), takes quizzes (start, a hint now and
then, answer every question, see the results) and runs code in the sandbox, thinking 1 to 5 s
between actions, as loadtest/journeys.py does it over plain HTTP.

`StepSearchShape` is a Locust LoadTestShape: an unmeasured warm-up, then steps of learners
picked by loadtest.steps.StepSearch. Each step ramps up (or down) to its learners, resets
Locust's statistics, holds for --step-seconds and reads the step from Locust's own statistics
(runner.stats). It prints one `LOAD-STEP` line of JSON when a step's measurement starts and
one when it ends (loadtest/run.py reads them, and measures the CPU in between), and returns
None, which ends the run, once the figure is found. Run by loadtest/run.py:

    locust -f loadtest/locustfile.py --headless --host URL --start-users 20 --max-users 1000
"""

import json
import random
import time
from dataclasses import asdict
from typing import Any

from locust import HttpUser, LoadTestShape, between, events, task

from loadtest.journeys import Learner
from loadtest.steps import STEP_LINE, Step, StepSearch

SANDBOX_SNIPPETS = [
    "cache.set('greeting', 'hello', timeout=300)\ncache.get('greeting')",
    "cache.add('visits', 0)\ncache.incr('visits')",
    "cache.set_many({'a': 1, 'b': 2})\ncache.get_many(['a', 'b'])",
    "cache.get('missing', 'default')",
]
WARM_UP_USERS = 10


def think() -> None:
    time.sleep(random.uniform(1, 5))  # gevent makes this cooperative under Locust


class LearnerUser(HttpUser):
    wait_time = between(1, 5)

    def on_start(self) -> None:
        self.learner = Learner(self.client, named=True)
        self.lessons = self.learner.lesson_slugs()
        self.quizzes = self.learner.quiz_slugs()

    @task(5)
    def read_a_lesson(self) -> None:
        slug = random.choice(self.lessons)
        self.learner.read_lesson(slug)
        if random.random() < 0.3:
            think()
            self.learner.mark_read(slug)

    @task(2)
    def take_a_quiz(self) -> None:
        self.learner.take_quiz(random.choice(self.quizzes), hint_chance=0.3, think=think)

    @task(3)
    def run_sandbox_code(self) -> None:
        self.learner.run_sandbox(random.choice(SANDBOX_SNIPPETS))


@events.init_command_line_parser.add_listener
def options(parser: Any) -> None:
    group = parser.add_argument_group("Cache Lab's step search (make load)")
    group.add_argument("--start-users", type=int, default=20)
    group.add_argument("--max-users", type=int, default=1000)
    group.add_argument("--step-seconds", type=float, default=40, help="measured per step")
    group.add_argument("--ramp-seconds", type=float, default=10, help="from 0 to a step's users")
    group.add_argument("--warm-up-seconds", type=float, default=20, help="0: no warm-up")


def announce(event: str, **data: Any) -> None:
    print(f"{STEP_LINE} {json.dumps({'event': event, **data})}", flush=True)


def endpoint(entry: Any) -> dict[str, Any]:
    return {
        "method": entry.method,
        "name": entry.name,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": round(entry.total_rps, 1),
        "p50_ms": entry.get_response_time_percentile(0.5),
        "p95_ms": entry.get_response_time_percentile(0.95),
        "p99_ms": entry.get_response_time_percentile(0.99),
        "max_ms": round(entry.max_response_time, 1),
    }


def step_from(runner: Any, users: int, seconds: float) -> Step:
    """The step as Locust's statistics saw it since they were reset."""
    stats, total = runner.stats, runner.stats.total
    failures = [
        f"{error.method} {error.name}: {error.error} (x{error.occurrences})"
        for error in stats.errors.values()
    ]
    exceptions = [f"{row['msg']} (x{row['count']})" for row in runner.exceptions.values()]
    return Step(
        users=users,
        requests=total.num_requests,
        failures=total.num_failures,
        exceptions=sum(row["count"] for row in runner.exceptions.values()),
        rps=round(total.num_requests / seconds, 1) if seconds else 0.0,
        p50_ms=total.get_response_time_percentile(0.5) or 0,
        p95_ms=total.get_response_time_percentile(0.95) or 0,
        p99_ms=total.get_response_time_percentile(0.99) or 0,
        seconds=round(seconds, 1),
        endpoints=[endpoint(entry) for entry in stats.entries.values() if entry.num_requests],
        failure_examples=(failures + exceptions)[:5],
    )


class StepSearchShape(LoadTestShape):
    """Warm up, then ramp -> measure per step, as StepSearch picks the learners."""

    def __init__(self) -> None:
        super().__init__()
        self.search: StepSearch | None = None
        self.users = 0
        self.phase = "start"
        self.since = 0.0

    def option(self, name: str) -> Any:
        return getattr(self.runner.environment.parsed_options, name)

    def go_to(self, users: int, phase: str) -> tuple[int, float]:
        self.users, self.phase, self.since = users, phase, time.monotonic()
        return users, max(1.0, users / self.option("ramp_seconds"))

    def tick(self) -> tuple[int, float] | None:
        if self.phase == "start":
            self.search = StepSearch(self.option("start_users"), self.option("max_users"))
            if self.option("warm_up_seconds"):
                return self.go_to(WARM_UP_USERS, "warm-up")
            return self.go_to(self.search.first, "ramp")
        elapsed = time.monotonic() - self.since
        if self.phase == "warm-up":
            if elapsed < self.option("warm_up_seconds"):
                return self.users, max(1.0, self.users / self.option("ramp_seconds"))
            return self.go_to(self.search.first, "ramp")
        if self.phase == "ramp":
            settled = self.get_current_user_count() == self.users
            if settled or elapsed > 3 * self.option("ramp_seconds"):
                self.runner.stats.reset_all()
                self.runner.exceptions = {}
                self.phase, self.since = "measure", time.monotonic()
                announce("measure-start", users=self.users)
            return self.users, max(1.0, self.users / self.option("ramp_seconds"))
        if elapsed < self.option("step_seconds"):
            return self.users, max(1.0, self.users / self.option("ramp_seconds"))
        step = step_from(self.runner, self.users, elapsed)
        announce("measure-end", step=asdict(step), passed=step.passed)
        users = self.search.next_users(step)
        return None if users is None else self.go_to(users, "ramp")
