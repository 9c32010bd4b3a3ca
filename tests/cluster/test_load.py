"""`make load`'s learners, briefly: the Locust mix runs against the cluster without an error.
(The figure itself comes from `make load`: speed targets live in benchmarks, not tests.)"""

import pytest

from loadtest.run import run_step

pytestmark = pytest.mark.cluster


def test_a_short_locust_run_of_the_learner_mix_has_no_errors(cluster, tmp_path) -> None:
    step = run_step(cluster.url, users=6, seconds=15, work_dir=tmp_path)
    assert step.failure_examples == []
    assert step.requests > 0 and step.failures == 0 and step.exceptions == 0
    names = {row["name"] for row in step.endpoints}
    assert "/lessons/[slug]/" in names
    assert "/sandbox/api/run" in names
    assert "/quiz/[slug]/start/" in names or "/quiz/attempts/[pk]/" in names
