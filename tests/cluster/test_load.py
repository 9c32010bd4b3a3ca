"""`make load`'s learners, briefly: the Locust mix runs against the cluster without an error.
(The figure itself comes from `make load`: speed targets live in benchmarks, not tests.)"""

import pytest

from loadtest.run import README_END, README_START, Step, run_step, search, update_readme

pytestmark = pytest.mark.cluster


def test_a_short_locust_run_of_the_learner_mix_has_no_errors(cluster, tmp_path) -> None:
    step = run_step(cluster.url, users=6, seconds=15, work_dir=tmp_path)
    assert step.failure_examples == []
    assert step.requests > 0 and step.failures == 0 and step.exceptions == 0
    names = {row["name"] for row in step.endpoints}
    assert "/lessons/[slug]/" in names
    assert "/sandbox/api/run" in names
    assert "/quiz/[slug]/start/" in names or "/quiz/attempts/[pk]/" in names


def step_at(users: int, limit: int) -> Step:
    """A step as Locust would report it on a site that serves `limit` learners."""
    p95 = 50.0 if users <= limit else 450.0
    return Step(
        users, requests=100, failures=0, exceptions=0, rps=10.0, p50_ms=10.0, p95_ms=p95, p99_ms=p95
    )


@pytest.mark.parametrize("limit", [3, 13, 100, 333, 999])
def test_the_search_finds_the_most_learners_to_within_ten_percent(limit: int) -> None:
    steps = search(lambda users: step_at(users, limit), start=20, maximum=1000)
    best = max(step.users for step in steps if step.passed)
    assert best <= limit <= best + max(5, best // 10)
    assert len(steps) <= 12


def test_the_search_stops_at_the_most_learners_it_may_try() -> None:
    steps = search(lambda users: step_at(users, 5000), start=20, maximum=1000)
    assert [step.users for step in steps] == [20, 40, 80, 160, 320, 640, 1000]


def test_the_figure_replaces_only_the_marked_part_of_the_readme(tmp_path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n{README_START}\nold\n{README_END}\nafter\n")
    update_readme(readme, "new figure\n")
    assert readme.read_text() == f"# Title\n{README_START}\nnew figure\n{README_END}\nafter\n"
