"""The step search of `make load`'s load shape, on steps as Locust would report them."""

import pytest

from loadtest.steps import P95_LIMIT_MS, Step, StepSearch, search


def step_at(users: int, limit: int) -> Step:
    """A step as Locust would report it on a site that serves `limit` learners."""
    p95 = 50.0 if users <= limit else 450.0
    return Step(
        users, requests=100, failures=0, exceptions=0, rps=10.0, p50_ms=10.0, p95_ms=p95, p99_ms=p95
    )


@pytest.mark.parametrize("limit", [3, 13, 100, 240, 333, 999])
def test_the_search_finds_the_most_learners_to_within_ten_percent(limit: int) -> None:
    steps = search(lambda users: step_at(users, limit), start=20, maximum=1000)
    best = max(step.users for step in steps if step.passed)
    assert best <= limit <= best + max(5, best // 10)
    assert len(steps) <= 12


def test_the_search_stops_at_the_most_learners_it_may_try() -> None:
    steps = search(lambda users: step_at(users, 5000), start=20, maximum=1000)
    assert [step.users for step in steps] == [20, 40, 80, 160, 320, 640, 1000]


def test_a_site_that_serves_nobody_ends_the_search_at_one_learner() -> None:
    steps = search(lambda users: step_at(users, 0), start=20, maximum=1000)
    assert [step.users for step in steps] == [20, 10, 5, 2, 1]
    assert not any(step.passed for step in steps)


def test_a_step_with_any_error_or_a_slow_p95_fails() -> None:
    good = step_at(10, 100)
    assert good.passed
    for change in ({"failures": 1}, {"exceptions": 1}, {"p95_ms": P95_LIMIT_MS}, {"requests": 0}):
        assert not Step(**(vars(good) | change)).passed


def test_one_step_of_the_most_learners_is_all_a_passing_smoke_run_needs() -> None:
    picker = StepSearch(start=6, maximum=6)
    assert picker.first == 6
    assert picker.next_users(step_at(6, 100)) is None
