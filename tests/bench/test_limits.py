"""A page's own limit: the floor making the page's round trips, measured in the same rounds."""

import json

import pytest

from bench.http_load import limit_figures
from bench.round_trips import RoundTrips
from bench.targets import FLOOR, LIMIT_GOAL, Target, limit_of, load_targets


def wrk_run(rps: float) -> dict:
    return {"requests": int(rps), "rps": rps, "p50_ms": 1000 / rps, "p99_ms": 2000 / rps,
            "non_2xx": 0, "socket_errors": 0}  # fmt: skip


def test_a_pages_limit_is_the_floor_asked_for_the_same_round_trips() -> None:
    page = Target("quiz", "/quiz/", round_trips=RoundTrips(db=2, redis=1, memcached=3))
    limit = limit_of(page)
    assert limit.path == "/lab/floor?db=2&django-redis=1&memcached=3"
    assert limit.name == "limit: floor + 2 db, 1 redis, 3 memcached"
    assert limit_of(Target("static", "/", round_trips=RoundTrips())) == FLOOR
    assert limit_of(Target("no limit", "/")) is None


def test_the_shares_are_medians_of_the_rounds_paired_ratios() -> None:
    page = Target("quiz", "/quiz/", round_trips=RoundTrips(redis=2), goal=LIMIT_GOAL)
    floors = [wrk_run(rps) for rps in (1000, 2000, 1000)]
    limits = [wrk_run(rps) for rps in (800, 1400, 500)]
    runs = [wrk_run(rps) for rps in (600, 1400, 250)]
    figures = limit_figures(page, limit_of(page), runs, floors, limits)
    assert figures["limit_share"] == 0.7  # 0.8, 0.7, 0.5
    assert figures["share_of_limit"] == 0.75  # 0.75, 1.0, 0.5
    assert figures["meets_goal"] is True
    assert figures["limit"]["round_trips"] == {"db": 0, "redis": 2, "memcached": 0}
    assert figures["limit"]["path"] == "/lab/floor?django-redis=2"
    assert figures["limit"]["rps"] == 800


def test_a_page_under_three_quarters_of_its_limit_misses_its_goal() -> None:
    page = Target("quiz", "/quiz/", round_trips=RoundTrips(redis=2), goal=LIMIT_GOAL)
    figures = limit_figures(page, limit_of(page), [wrk_run(740)], [wrk_run(2000)], [wrk_run(1000)])
    assert (figures["share_of_limit"], figures["meets_goal"]) == (0.74, False)


def test_targets_from_a_file_declare_their_round_trips_as_an_object(tmp_path) -> None:
    path = tmp_path / "targets.json"
    path.write_text(json.dumps([{"name": "home", "path": "/", "round_trips": {"db": 1}}]))
    floor, home = load_targets(path)
    assert floor == FLOOR and home.round_trips == RoundTrips(db=1)
    path.write_text(json.dumps([{"name": "home", "path": "/", "queries": 1}]))
    with pytest.raises(ValueError, match="Unknown target field"):
        load_targets(path)
