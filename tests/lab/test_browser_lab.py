import os
import re

import pytest

from lab.experiments import one_at_a_time
from lab.seed import seed_shop
from tests.lab.conftest import SMALL_SHOP, visitor_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_switches_backend_and_runs_an_experiment_without_a_reload(page) -> None:
    seed_shop(seed=7, size=SMALL_SHOP)
    page.goto("/lab/?backend=none")
    page.get_by_label("Cache backend").select_option("memcached")
    page.get_by_role("button", name="Serve the report").click()
    page.wait_for_url(re.compile(r"backend=memcached"))
    section = page.locator("#report-section")
    assert "miss" in section.inner_text()
    page.get_by_role("button", name="Serve the report").click()
    page.locator("#report-section .badge-low").wait_for()

    servers = page.locator("#servers")
    servers.get_by_label("Requests in the stream").fill("200")
    servers.get_by_role("button", name="Run").click()
    servers.locator("svg").first.wait_for()
    assert servers.locator("svg polyline").count() == 6
    if os.environ.get("LAB_SCREENSHOT"):
        page.screenshot(path=os.environ["LAB_SCREENSHOT"], full_page=True)


def test_a_refused_run_shows_why_in_place(page) -> None:
    seed_shop(seed=7, size=SMALL_SHOP)
    page.goto("/lab/")
    page.locator("#cold-start").get_by_role("button", name="Run").click()
    page.locator("#cold-start table").wait_for()
    session = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    with one_at_a_time(visitor_of(session).namespace):
        page.locator("#cold-start").get_by_role("button", name="Run").click()
        alert = page.locator("#cold-start [role=alert]")
        alert.wait_for()
    assert "already running" in alert.inner_text()
    assert page.url.endswith("/lab/")


def test_a_learner_runs_the_stampede_and_the_cache_page_leak_in_place(page) -> None:
    seed_shop(seed=7, size=SMALL_SHOP)
    page.goto("/lab/")
    stampede = page.locator("#stampede")
    stampede.get_by_label("Requests missing at once").fill("4")
    stampede.get_by_role("button", name="Run").click()
    stampede.locator("svg rect.bar-add-guard").first.wait_for()
    # django-redis only: one bar and one legend key in each of the two charts
    assert stampede.locator("svg rect.bar-lock").count() == 4
    leak = page.locator("#cache-page")
    leak.get_by_role("button", name="Run").click()
    leak.locator(".demo-variant").first.wait_for()
    assert leak.locator(".demo-variant").count() == 3
    assert "leaks" in leak.locator(".demo-variant").first.inner_text()
    assert page.url.endswith("/lab/")
    if os.environ.get("LAB_SCREENSHOT"):
        page.screenshot(path=os.environ["LAB_SCREENSHOT"], full_page=True)
