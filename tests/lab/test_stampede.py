"""The stampede experiment against the real backends, with real threads and the real shop."""

import time

import pytest

from lab.forms import MAX_STAMPEDE_REQUESTS
from lab.models import Result
from lab.report import REPORT_QUERIES, build_report
from lab.seed import seed_shop
from lab.stampede import STRATEGIES, stampede
from sandbox.catalogue import BY_NAME, NAMES
from tests.lab.conftest import SMALL_SHOP

# Each request thread opens its own database connection: the rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)
BY_STRATEGY = {strategy.name: strategy for strategy in STRATEGIES}


@pytest.fixture
def committed_shop() -> None:
    seed_shop(seed=7, size=SMALL_SHOP)


def slow_build() -> dict:
    """The report, built slowly enough that every request misses before the first set."""
    time.sleep(0.5)
    return build_report()


def run_and_get(client, requests: int) -> dict:
    assert client.post("/lab/experiments/stampede", {"requests": requests}).status_code == 302
    return Result.objects.get(kind="stampede").figures


def test_every_strategy_runs_on_every_backend_it_applies_to(client, committed_shop) -> None:
    figures = run_and_get(client, 4)
    runs = {(row["backend"], row["strategy"]) for row in figures["rows"]}
    plain = {"get-then-set", "get_or_set", "add-guard"}
    assert runs == {(b, s) for b in NAMES for s in plain} | {("django-redis", "lock")}


def test_the_add_guard_and_the_lock_rebuild_once_and_query_for_one_rebuild(
    client, committed_shop
) -> None:
    figures = run_and_get(client, 6)
    for row in figures["rows"]:
        assert row["queries"] == row["rebuilt"] * REPORT_QUERIES, row
        assert 1 <= row["rebuilt"] <= 6
        assert row["slowest_ms"] >= row["median_ms"] >= 0 and row["slowest_ms"] > 0
        if row["strategy"] in ("add-guard", "lock"):
            assert row["rebuilt"] == 1, row


@pytest.mark.parametrize("backend", NAMES)
def test_get_or_set_does_not_prevent_a_stampede(committed_shop, backend: str) -> None:
    figures = stampede(BY_STRATEGY["get_or_set"], BY_NAME[backend].alias, 4, build=slow_build)
    assert figures["rebuilt"] > 1
    assert figures["queries"] == figures["rebuilt"] * REPORT_QUERIES


@pytest.mark.parametrize("backend", NAMES)
def test_an_add_guard_rebuilds_once_even_when_the_build_is_slow(committed_shop, backend) -> None:
    figures = stampede(BY_STRATEGY["add-guard"], BY_NAME[backend].alias, 4, build=slow_build)
    assert figures["rebuilt"] == 1
    assert figures["slowest_ms"] >= 500  # the others waited for the one rebuild


def test_the_lab_page_draws_the_rebuilds_per_strategy(client, committed_shop) -> None:
    run_and_get(client, 2)
    html = client.get("/lab/").content.decode()
    assert 'class="bar-add-guard"' in html and 'class="bar-get-or-set"' in html
    assert "Times the report was rebuilt" in html


@pytest.mark.parametrize("requests", [1, MAX_STAMPEDE_REQUESTS + 1, "all"])
def test_stampedes_are_bounded(client, committed_shop, requests) -> None:
    response = client.post("/lab/experiments/stampede", {"requests": requests})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Result.objects.exists()


def test_a_stampede_on_an_empty_shop_says_to_seed_it(client) -> None:
    response = client.post("/lab/experiments/stampede", {"requests": 2})
    assert response.status_code == 409
    assert "seed_lab" in response.content.decode()
