"""`make load` in short: its Locust load shape runs the learner mix against the cluster, with
Locust's own statistics and the CPU of every part. (The figure itself comes from `make load`:
speed targets live in benchmarks, not tests.)"""

import pytest

from loadtest.run import Plan, parts_of, run_steps

pytestmark = pytest.mark.cluster

SMOKE = Plan(start_users=6, max_users=6, seconds=12, ramp_seconds=3, warm_up_seconds=0)


def test_a_short_run_of_the_load_shape_measures_the_learner_mix_without_errors(cluster) -> None:
    steps = run_steps(SMOKE, cluster.url, parts_of(cluster), log=lambda line: None)
    first = steps[0]
    assert first.users == 6 and first.seconds >= SMOKE.seconds
    assert first.failure_examples == []
    assert first.requests > 0 and first.failures == 0 and first.exceptions == 0
    names = {row["name"] for row in first.endpoints}
    assert "/lessons/[slug]/" in names
    assert "/sandbox/api/run" in names
    assert "/quiz/[slug]/start/" in names or "/quiz/attempts/[pk]/" in names
    assert {"app-a", "app-b", "locust", "machine"} <= set(first.cpu_cores)
    assert all(cores >= 0 for cores in first.cpu_cores.values())
    assert first.cpu_cores["app-a"] > 0 and first.cpu_cores["locust"] > 0
