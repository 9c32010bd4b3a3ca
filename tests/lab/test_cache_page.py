"""The cache_page leak through Django's real cache middleware, on every real backend."""

import pytest

from lab.models import Result
from lab.page_cache import cache_page_leak
from sandbox.catalogue import CACHE_BACKENDS

pytestmark = pytest.mark.django_db


def variants_of(figures: dict) -> dict:
    return {variant["name"]: variant for variant in figures["variants"]}


@pytest.mark.parametrize("backend", CACHE_BACKENDS, ids=lambda backend: backend.name)
def test_cache_page_alone_serves_the_first_visitors_page_to_the_second(shop, backend) -> None:
    figures = cache_page_leak(backend.alias, "testserver")
    first, _ = figures["visitors"]
    leak = variants_of(figures)["cache_page alone"]
    to_first, to_second, to_first_again = leak["responses"]
    assert leak["leaked"]
    assert to_first["view_ran"] and to_first["shows"] == first
    assert not to_second["view_ran"] and to_second["shows"] == first  # not their own
    assert f"Hello, {first}." in to_second["body"]
    assert "Cookie" not in to_second["headers"]["vary"]
    assert "max-age=30" in to_second["headers"]["cache_control"]
    assert to_first_again["own_page"] and not to_first_again["view_ran"]


@pytest.mark.parametrize("backend", CACHE_BACKENDS, ids=lambda backend: backend.name)
def test_vary_on_cookie_keeps_one_cached_copy_per_visitor(shop, backend) -> None:
    fixed = variants_of(cache_page_leak(backend.alias, "testserver"))
    vary = fixed["cache_page with vary_on_cookie"]
    assert not vary["leaked"]
    assert [r["view_ran"] for r in vary["responses"]] == [True, True, False]
    assert all(r["headers"]["vary"] == "Cookie" for r in vary["responses"])
    private = fixed["cache_page with cache_control(private=True)"]
    assert not private["leaked"] and private["served_from_cache"] == 0
    assert all("private" in r["headers"]["cache_control"] for r in private["responses"])


def test_the_lab_runs_the_demonstration_and_shows_the_leak_and_the_fix(client, shop) -> None:
    assert client.post("/lab/experiments/cache-page").status_code == 302
    figures = Result.objects.get(kind="cache-page").figures
    assert figures["backend"] == "redis"
    assert [v["leaked"] for v in figures["variants"]] == [True, False, False]
    html = client.get("/lab/").content.decode()
    first, second = figures["visitors"]
    assert "leaks" in html and "each visitor sees their own page" in html
    # the second visitor's row says they were shown the first one's page
    assert f'<th scope="row">{second}</th>\n      <td><span class="leak">{first}\'s</span>' in html


def test_without_customers_the_demonstration_says_to_seed_the_shop(client, db) -> None:
    response = client.post("/lab/experiments/cache-page")
    assert response.status_code == 409
    assert "seed_lab" in response.content.decode()
