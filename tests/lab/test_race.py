"""The read-then-set race experiment, live on every backend: two threads with their own
database connections and a real committed UPDATE."""

import pytest

from lab.models import Price, Result
from lab.race import BY_NAME, NEW_CENTS, OLD_CENTS, race
from sandbox.catalogue import BY_NAME as BACKENDS
from sandbox.catalogue import NAMES

# The reader and writer threads use their own database connections: rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)
HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize("strategy", ["delete", "set"])
def test_invalidating_on_commit_leaves_the_old_price_after_the_race(backend, strategy) -> None:
    row = race(BY_NAME[strategy], BACKENDS[backend].alias)
    assert (row["read"], row["committed"]) == (OLD_CENTS, NEW_CENTS)
    assert row["served"] == OLD_CENTS and row["from_cache"] and row["stale"]
    assert row["left_where"] == "live"


def test_a_generation_moved_on_at_commit_serves_the_committed_price(backend) -> None:
    row = race(BY_NAME["generation"], BACKENDS[backend].alias)
    assert row["served"] == NEW_CENTS and not row["from_cache"] and not row["stale"]
    assert (row["left_behind"], row["left_where"]) == (OLD_CENTS, "orphaned")


def test_a_run_measures_every_strategy_on_every_backend_and_cleans_up(client) -> None:
    response = client.post("/lab/experiments/race", headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="race"')
    figures = Result.objects.get(kind="race").figures
    runs = {(row["backend"], row["strategy"]) for row in figures["rows"]}
    assert runs == {(backend, strategy) for backend in NAMES for strategy in BY_NAME}
    assert {row["stale"] for row in figures["rows"] if row["strategy"] == "generation"} == {False}
    assert html.count('badge-high">stale') == 2 * len(NAMES)
    assert not Price.objects.exists()


def test_the_race_topic_shows_the_newest_run(client) -> None:
    client.post("/lab/experiments/race")
    html = client.get("/lab/figures/race/", headers=HTMX).content.decode()
    assert "No figures yet" not in html
    assert "$19.99" in html and "$24.99" in html
    assert "new generation on commit" in html
    assert html.count('badge-low">fresh') == len(
        NAMES
    )  # one row per strategy, a column per backend
