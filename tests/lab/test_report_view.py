import re

import pytest
from django.core.cache import caches

from lab.report import BACKENDS, NO_CACHE, REPORT_KEY, REPORT_QUERIES

CACHING_BACKENDS = [backend for backend in BACKENDS if backend != NO_CACHE]
SERVER_TIMING = re.compile(
    r'^db;dur=\d+\.\d+;desc="Database \(\d+ queries\)", '
    r'cache;dur=\d+\.\d+;desc="Cache", '
    r'total;dur=\d+\.\d+;desc="Whole view"$'
)


@pytest.mark.parametrize("backend", CACHING_BACKENDS)
def test_the_report_runs_its_queries_cold_and_none_warm(
    client, shop, django_assert_num_queries, backend: str
) -> None:
    with django_assert_num_queries(REPORT_QUERIES):
        cold = client.get("/lab/", {"backend": backend})
    with django_assert_num_queries(0):
        warm = client.get("/lab/", {"backend": backend})
    assert "miss" in cold.content.decode()
    assert "hit" in warm.content.decode()
    assert report_tables(cold.content.decode()) == report_tables(warm.content.decode())


def report_tables(html: str) -> str:
    return html.split('<div class="report">')[1].split("</section>")[0]


def test_without_a_cache_every_request_runs_the_queries(
    client, shop, django_assert_num_queries
) -> None:
    for _ in range(2):
        with django_assert_num_queries(REPORT_QUERIES):
            client.get("/lab/", {"backend": NO_CACHE})


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_every_response_carries_a_well_formed_server_timing_header(
    client, shop, backend: str
) -> None:
    response = client.get("/lab/", {"backend": backend})
    assert response.status_code == 200
    assert SERVER_TIMING.match(response["Server-Timing"]), response["Server-Timing"]


def test_server_timing_counts_the_queries_of_a_miss(client, shop) -> None:
    header = client.get("/lab/", {"backend": "memcached"})["Server-Timing"]
    assert f"({REPORT_QUERIES} queries)" in header


def test_an_unknown_backend_is_a_400_that_names_the_choices(client, shop) -> None:
    response = client.get("/lab/", {"backend": "mongodb"})
    assert response.status_code == 400
    assert "Unknown backend &#x27;mongodb&#x27;" in response.content.decode()
    assert "Server-Timing" in response


def test_a_foreign_value_under_the_report_key_counts_as_a_miss(
    client, shop, django_assert_num_queries
) -> None:
    caches["sandbox-redis"].set(REPORT_KEY, "written by a sandbox learner")
    with django_assert_num_queries(REPORT_QUERIES):
        response = client.get("/lab/", {"backend": "redis"})
    assert "Revenue per category" in response.content.decode()


def test_htmx_gets_only_the_report_section(client, shop) -> None:
    response = client.get("/lab/", {"backend": "locmem"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="report-section"')
    assert "<html" not in html
    assert f"<dt>Database queries</dt><dd>{REPORT_QUERIES}</dd>" in html
    assert "HX-Request" in response["Vary"]


def test_the_page_says_which_process_served_it_and_how_long_each_part_took(client, shop) -> None:
    html = client.get("/lab/", {"backend": "django-redis"}).content.decode()
    for label in ("Database queries", "Database time", "Cache time", "App server process"):
        assert label in html


def test_a_post_to_the_report_is_refused_with_405(client) -> None:
    assert client.post("/lab/").status_code == 405


def test_the_floor_serves_two_kilobytes(client) -> None:
    response = client.get("/lab/floor")
    assert response.status_code == 200
    assert len(response.content) == 2048
