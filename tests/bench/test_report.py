"""The report's words quote the same run as its tables."""

import re

import pytest

from bench.report import markdown, summary

OPERATIONS = [
    {"backend": "locmem", "op": "get", "django_us": 3.0},
    {"backend": "redis", "op": "get", "django_us": 212.0, "raw_client": "redis",
     "raw_us": 99.7, "ratio": 2.13},
    {"backend": "django-redis", "op": "get", "django_us": 105.6, "raw_client": "redis",
     "raw_us": 101.8, "ratio": 1.04},
    {"backend": "memcached", "op": "get", "django_us": 83.8, "raw_client": "pymemcache",
     "raw_us": 71.7, "ratio": 1.17},
]  # fmt: skip


def page(name: str, path: str, share: float, limit: tuple | None = None) -> dict:
    """A measured page; `limit` is (its round trips, the limit's share of the floor)."""
    row = {"name": name, "method": "GET", "path": path, "goal": None, "status": "ok",
           "rps": 1000 * share, "p50_ms": 5.0, "p99_ms": 9.0, "non_2xx": 0,
           "ratio_to_floor": share}  # fmt: skip
    if limit is not None:
        round_trips, limit_share = limit
        row |= {
            "goal": 0.75,
            "limit": {"name": "limit", "path": "/lab/floor?django-redis=2",
                      "round_trips": round_trips, "rps": 1000 * limit_share},
            "limit_share": limit_share,
            "share_of_limit": round(share / limit_share, 3),
            "round_trips_declared": round_trips,
            "round_trips_counted": round_trips,
        }  # fmt: skip
        row["meets_goal"] = row["share_of_limit"] >= 0.75
    return row


TWO_REDIS = {"db": 0, "redis": 2, "memcached": 0}
PROFILE = {
    "requests": 120, "ms_per_request": 6.5, "harness_ms_per_request": 0.1,
    "by_area": [{"area": "templates", "share": 0.41},
                {"area": "waiting on the servers (socket I/O)", "share": 0.22},
                {"area": "the site's quiz", "share": 0.004}],
    "top_functions": [{"function": "base.py:1017(render)", "area": "templates", "share": 0.08}],
}  # fmt: skip


@pytest.fixture
def results() -> dict:
    floor = page("floor", "/lab/floor", 1.0)
    return {
        "started": "2026-11-30 06:00:00 UTC",
        "machine": {"cpu": "CPU", "cores": 2, "system": "Linux", "python": "3.11",
                    "django": "5.2", "load_average_1min": {"before": 1.0, "after": 2.0}},
        "cache_operations": OPERATIONS,
        "http": {
            "load": {"op_repeats": 5000, "workers": 2, "threads": 2, "connections": 16,
                     "seconds": 1, "rounds": 4},
            "pages": [floor, page("lesson page", "/lessons/why-cache/", 0.72, (TWO_REDIS, 0.8)),
                      page("quiz question step", "/quiz/attempts/1/", 0.31, (TWO_REDIS, 0.62))
                      | {"profile": PROFILE}],
            "settings": [floor, page("one query", "/lab/floor?probe=db", 0.76),
                         page("redis", "/lab/floor?probe=redis", 0.61),
                         page("django-redis", "/lab/floor?probe=django-redis", 0.76),
                         page("memcached", "/lab/floor?probe=memcached", 0.61)],
            "conn_max_age_0": [floor, page("one query", "/lab/floor?probe=db", 0.44)],
        },
    }  # fmt: skip


def test_every_figure_in_the_summary_is_in_the_tables_of_the_same_run(results) -> None:
    report = markdown(results)
    words = "\n".join(summary(results))
    tables = report.split("What this run says:")[1].split("Cache operations")[1]
    figures = re.findall(r"\d+(?:\.\d+)?(?= µs|%|x)", words)
    assert figures
    for figure in figures:
        assert figure in tables, f"{figure} is quoted in words but not in the tables"


def test_the_summary_says_which_page_missed_its_own_limit(results) -> None:
    words = "\n".join(summary(results))
    assert (
        "lesson page 90% of its limit (floor + 2 redis: 80% of the floor) "
        "(≥ 75% of its limit: met)" in words
    )
    assert (
        "quiz question step 50% of its limit (floor + 2 redis: 62% of the floor) "
        "(≥ 75% of its limit: MISSED)" in words
    )
    assert "105.6 µs through django-redis (1.04x redis-py's own 101.8 µs)" in words
    assert "76% of the floor's requests per second with persistent connections" in words
    assert "44% with `CONN_MAX_AGE=0`" in words


def test_without_wrk_the_report_says_the_http_part_was_skipped(results) -> None:
    results["http"] = {"load": results["http"]["load"], "skipped": "wrk is not installed"}
    report = markdown(results)
    assert "HTTP: skipped (wrk is not installed)." in report
    assert "through django-redis" in report


def test_the_pages_table_shows_each_pages_round_trips_its_limit_and_its_share(results) -> None:
    report = markdown(results)
    assert (
        "| quiz question step (`GET /quiz/attempts/1/`) | 310 | 5.0 ms | 9.0 ms | 31% | 2 redis "
        "| 62% | 50% | ≥ 75% of its limit: MISSED |" in report
    )
    assert "| share of floor | round trips | its limit: share of floor | share of its limit |" in (
        report
    )


def test_a_page_that_missed_its_goal_shows_where_its_time_goes(results) -> None:
    report = markdown(results)
    assert (
        "- **quiz question step** (120 requests, 6.5 ms each under the profiler): templates 41%, "
        "waiting on the servers (socket I/O) 22%. Busiest functions: "
        "`base.py:1017(render)` 8%." in report
    )
    assert "the site's quiz" not in report  # under 1%: left out
    assert "**lesson page**" not in report  # met its goal: no profile


def test_a_page_whose_round_trips_drifted_is_called_out(results) -> None:
    lesson = results["http"]["pages"][1]
    lesson["round_trips_counted"] = {"db": 1, "redis": 2, "memcached": 0}
    words = "\n".join(summary(results))
    assert (
        "- lesson page: its limit assumes 2 redis but one request made 1 db, 2 redis; its limit "
        "is wrong until `bench/targets.py` says so." in words
    )
    results["http"]["pages"][1]["round_trips_counted"] = TWO_REDIS
    assert "its limit assumes" not in "\n".join(summary(results))
