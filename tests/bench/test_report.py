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


def page(name: str, path: str, share: float, goal: float | None = None) -> dict:
    row = {"name": name, "method": "GET", "path": path, "goal": goal, "status": "ok",
           "rps": 1000 * share, "p50_ms": 5.0, "p99_ms": 9.0, "non_2xx": 0,
           "ratio_to_floor": share}  # fmt: skip
    if goal is not None:
        row["meets_goal"] = share >= goal
    return row


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
            "pages": [floor, page("lesson page", "/lessons/why-cache/", 0.77, goal=0.7),
                      page("quiz question step", "/quiz/attempts/1/", 0.31, goal=0.35)],
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


def test_the_summary_says_which_goal_was_missed(results) -> None:
    words = "\n".join(summary(results))
    assert "lesson page 77% (≥ 70%: met)" in words
    assert "quiz question step 31% (≥ 35%: MISSED)" in words
    assert "105.6 µs through django-redis (1.04x redis-py's own 101.8 µs)" in words
    assert "76% of the floor's requests per second with persistent connections" in words
    assert "44% with `CONN_MAX_AGE=0`" in words


def test_without_wrk_the_report_says_the_http_part_was_skipped(results) -> None:
    results["http"] = {"load": results["http"]["load"], "skipped": "wrk is not installed"}
    report = markdown(results)
    assert "HTTP: skipped (wrk is not installed)." in report
    assert "through django-redis" in report
