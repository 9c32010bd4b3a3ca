"""/lab/figures/<topic>/: the newest figures with their date, the fragments lessons embed."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from lab.models import Result
from lab.topics import EXPERIMENT_TOPICS, TOPICS

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
EXPERIMENT_RUNS = {  # topic -> how the lab measures it
    "cold-warm": ("cold-warm", {"requests": 2}),
    "app-servers": ("servers", {"requests": 100, "keys": 10}),
    "cold-start": ("cold-start", {}),
    "cache-page": ("cache-page", {}),
}


def test_every_topic_has_its_url_and_the_all_figures_page_keeps_its_own() -> None:
    assert set(TOPICS) == {"cold-warm", "app-servers", "cold-start", "stampede", "cache-page",
                           "race", "failover", "full-cache", "bench", "cache-servers"}  # fmt: skip
    for topic in TOPICS:
        assert reverse("lab:figures", args=[topic]) == f"/lab/figures/{topic}/"
    assert set(EXPERIMENT_TOPICS.values()) <= set(Result.Kind.values)
    assert reverse("lab:figures") == "/lab/figures"


@pytest.mark.parametrize("topic", [t for t in TOPICS if t not in ("bench", "cache-servers")])
def test_before_any_run_a_topic_says_where_to_measure_it(client, topic: str) -> None:
    response = client.get(f"/lab/figures/{topic}/", headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<aside class="notice lab-figures" id="lab-figures-{topic}"')
    assert "No figures yet" in html and 'href="/lab/#' in html
    assert response["Vary"] == "HX-Request"


@pytest.mark.parametrize("topic", list(EXPERIMENT_RUNS))
def test_a_topic_shows_the_newest_run_with_its_date(client, shop, topic: str) -> None:
    kind, data = EXPERIMENT_RUNS[topic]
    client.post(f"/lab/experiments/{kind}", data)
    result = Result.objects.get(kind=kind)
    html = client.get(f"/lab/figures/{topic}/", headers=HTMX).content.decode()
    assert "No figures yet" not in html
    assert f"Newest run: {result.measured_at:%-d %b %Y, %H:%M} UTC" in html
    assert "<main" not in html


def test_the_cache_page_topic_names_who_saw_whose_page(client, shop) -> None:
    client.post("/lab/experiments/cache-page")
    first, second = Result.objects.get(kind="cache-page").figures["visitors"]
    html = client.get("/lab/figures/cache-page/", headers=HTMX).content.decode()
    assert f"{second} was served {first}'s page" in html
    assert "each visitor got their own page" in html


def test_the_stampede_topic_lists_the_rebuilds_of_the_newest_run(client) -> None:
    rows = [{"backend": "redis", "strategy": "get_or_set", "rebuilt": 7, "queries": 14,
             "slowest_ms": 512.5, "median_ms": 400.1}]  # fmt: skip
    Result.objects.create(kind="stampede", figures={"requests": 7, "report_queries": 2,
                                                    "rows": rows, "duration_ms": 900})  # fmt: skip
    html = client.get("/lab/figures/stampede/", headers=HTMX).content.decode()
    assert "<td>get_or_set</td><td>7</td><td>14</td><td>512.5 ms</td>" in html


def test_without_javascript_a_topic_is_a_page_of_its_own(client) -> None:
    response = client.get("/lab/figures/cold-start/")
    assert response.status_code == 200
    assert "<main" in response.content.decode()
    assert 'id="lab-figures-cold-start"' in response.content.decode()


@pytest.mark.parametrize("topic", ["warp-speed", "Bench", "figures"])
def test_an_unknown_topic_is_a_404(client, topic: str) -> None:
    assert client.get(f"/lab/figures/{topic}/").status_code == 404


BENCH_RESULTS = {
    "started": "2026-11-30 06:00:00 UTC",
    "machine": {"cores": 2, "load_average_1min": {"before": 1.0, "after": 2.5}},
    "cache_operations": [
        {"backend": "django-redis", "op": "get", "django_us": 46.9, "raw_client": "redis",
         "raw_us": 38.6, "ratio": 1.22},
        {"backend": "locmem", "op": "get", "django_us": 2.9},
    ],
    "http": {
        "pages": [
            {"name": "floor: minimal view, 2 KB", "ratio_to_floor": 1.0, "p50_ms": 4.1},
            {"name": "lesson page", "ratio_to_floor": 0.77, "p50_ms": 5.0,
             "limit_share": 0.85, "share_of_limit": 0.906},
            {"name": "quiz question step", "status": "not available (404)"},
        ],
    },
}  # fmt: skip


def test_the_bench_topic_shows_the_benchmarks_costs_and_shares_with_its_date(
    client, tmp_path
) -> None:
    latest = tmp_path / "latest.json"
    latest.write_text(json.dumps(BENCH_RESULTS))
    with override_settings(CACHELAB_BENCH_RESULTS=latest):
        html = client.get("/lab/figures/bench/", headers=HTMX).content.decode()
    assert "Benchmark run 2026-11-30 06:00:00 UTC" in html
    assert "load average was 1.0 before and 2.5 after" in html
    assert "<td>46.9 µs</td><td>38.6 µs (redis)</td><td>1.22x</td>" in html
    assert "<td>2.9 µs</td><td>n/a</td>" in html
    assert (
        '<th scope="row">lesson page</th><td>77%</td><td>5.0 ms</td><td>85%</td><td>91%</td>'
        in html
    )
    assert "quiz question step" not in html  # not measured in that run


def test_the_bench_topic_without_results_says_how_to_get_them(client, tmp_path) -> None:
    with override_settings(CACHELAB_BENCH_RESULTS=tmp_path / "none.json"):
        html = client.get("/lab/figures/bench/", headers=HTMX).content.decode()
    assert "No benchmark has been run" in html and "make bench" in html
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with override_settings(CACHELAB_BENCH_RESULTS=broken):
        response = client.get("/lab/figures/bench/", headers=HTMX)
    assert response.status_code == 200
    assert "cannot be read" in response.content.decode()
