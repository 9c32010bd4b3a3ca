"""A learner in a real browser runs calls on all four backends and sees the true results."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest

from sandbox.catalogue import NAMES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_set_then_get_on_all_four_backends_shows_the_value_everywhere(page) -> None:
    page.goto("/sandbox/")
    page.get_by_label("Cache calls, one per line").fill(
        "cache.set('greeting', 'hello from the browser', timeout=300)\ncache.get('greeting')"
    )
    page.get_by_role("button", name="Run", exact=True).click()
    second_line = page.locator("#results .line").nth(1)
    second_line.locator(".cell").first.wait_for()
    for name in NAMES:
        cell = second_line.locator(f'.cell[data-backend="{name}"] .outcome-value')
        assert cell.inner_text() == "'hello from the browser'"
    assert page.locator("#history li").count() == 1
    assert page.url.endswith("/sandbox/")  # htmx swapped the results in place


def test_a_mistake_is_shown_in_place_with_its_line_and_column(page) -> None:
    page.goto("/sandbox/")
    page.get_by_label("Cache calls, one per line").fill("cache.get('k')\ncache.set('k', open('f'))")
    page.get_by_role("button", name="Run", exact=True).click()
    alert = page.get_by_role("alert")
    assert alert.inner_text().startswith("Line 2, column 16: `open('f')` is not a literal.")
    assert page.get_by_label("Cache calls, one per line").input_value().endswith("open('f'))")


def test_the_guided_scenario_explains_the_per_process_difference(page) -> None:
    page.goto("/sandbox/")
    page.get_by_role("button", name="Run the A/B scenario").click()
    locmem = page.locator('.explanations li[data-backend="locmem"]')
    assert "B got None" in locmem.inner_text()
    assert (
        "B read the value A wrote"
        in page.locator('.explanations li[data-backend="redis"]').inner_text()
    )


@contextmanager
def ran_without_javascript(browser, live_server) -> Iterator:
    """A page without JavaScript that has run the sandbox's default code."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/sandbox/")
        page.get_by_role("button", name="Run", exact=True).click()
        page.wait_for_url("**/sandbox/run")
        yield page
    finally:
        context.close()


def test_the_sandbox_works_without_javascript(browser, live_server) -> None:
    with ran_without_javascript(browser, live_server) as page:
        cell = (
            page.locator("#results .line")
            .nth(1)
            .locator('.cell[data-backend="memcached"] .outcome-value')
        )
        assert cell.inner_text() == "'hello'"


@pytest.fixture
def lessons_and_explanations(transactional_db) -> None:
    """The lessons and explanations: in the test database (tests/conftest.py)."""


def run_the_redis_lessons_first_example(page) -> None:
    page.goto("/lessons/redis/")
    page.get_by_role("link", name=re.compile("Run in sandbox")).first.click()
    page.wait_for_url(re.compile(r"/sandbox/\?code="))
    page.get_by_role("button", name="Run", exact=True).click()


def line_with(page, code: str):
    return page.locator("#results .line", has=page.locator(".line-code", has_text=code))


def test_a_learner_runs_a_lesson_example_opens_the_wire_and_sees_a_flagged_difference(
    page, lessons_and_explanations
) -> None:
    run_the_redis_lessons_first_example(page)
    incr = line_with(page, 'cache.incr("counter")')
    redis = incr.locator('.cell[data-backend="redis"]')
    redis.get_by_text("Details").click()
    # Opening the details also loads the server's contents (their inspection commands, in a
    # wire list of their own that may come first): read every wire list of the cell.
    commands = "\n".join(redis.locator(".wire-commands").all_inner_texts())
    assert "EXISTS sandbox-redis:1:" in commands and "INCRBY sandbox-redis:1:" in commands
    django_redis = incr.locator('.cell[data-backend="django-redis"]')
    django_redis.get_by_text("Details").click()
    assert "EVAL <script" in "\n".join(django_redis.locator(".wire-commands").all_inner_texts())

    first_set = line_with(page, 'cache.set("counter", 41)')
    assert "The backends disagree on this line" in first_set.get_by_role("note").inner_text()
    assert "≠ differs" in first_set.locator('.cell[data-backend="django-redis"]').inner_text()


def test_the_results_read_on_a_phone_without_sideways_scrolling(
    browser, live_server, lessons_and_explanations
) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        run_the_redis_lessons_first_example(page)
        cells = line_with(page, 'cache.incr("counter")').locator(".cell")
        cells.first.get_by_text("Details").click()
        boxes = [cells.nth(index).bounding_box() for index in range(4)]
        assert boxes[0]["y"] == boxes[1]["y"]  # side by side, two by two
        assert all(box["x"] >= 0 and box["x"] + box["width"] <= 390 for box in boxes)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_without_javascript_the_differences_and_the_wire_are_there_too(
    browser, live_server, lessons_and_explanations
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/sandbox/?code=" + quote("cache.set('n', 1)\ncache.decr('n', 5)"))
        page.get_by_role("button", name="Run", exact=True).click()
        page.wait_for_url("**/sandbox/run")
        decr = line_with(page, "cache.decr('n', 5)")
        assert "never goes below 0" in decr.get_by_role("note").inner_text()
        memcached = decr.locator('.cell[data-backend="memcached"]')
        assert "≠ differs" in memcached.inner_text()
        memcached.get_by_text("Details").click()
        assert memcached.locator(".wire-commands").first.inner_text().startswith("decr ")
    finally:
        context.close()


def test_opening_a_cells_details_asks_the_server_what_it_holds_then(page) -> None:
    page.goto("/sandbox/")
    page.get_by_role("button", name="Run", exact=True).click()
    redis = page.locator("#results .line").first.locator('.cell[data-backend="redis"]')
    redis.wait_for()
    # htmx has bound the new cells once its swap has settled: a learner is never that quick.
    page.wait_for_function("!document.querySelector('.htmx-swapping, .htmx-settling')")
    redis.locator("summary").click()
    held = redis.locator(".held-now")
    held.wait_for()
    assert "Redis string, TTL" in held.inner_text()
    assert "inspection: TYPE sandbox-redis:1:" in held.locator(".wire-sandbox").inner_text()


def test_without_javascript_a_cells_details_link_opens_them_as_a_page(browser, live_server) -> None:
    with ran_without_javascript(browser, live_server) as page:
        memcached = page.locator("#results .line").first.locator('.cell[data-backend="memcached"]')
        memcached.locator("summary").click()
        memcached.get_by_role("link", name="What the server holds now").click()
        page.wait_for_url("**/sandbox/details?**")
        assert page.get_by_role("heading", level=1).inner_text() == "What the server holds now"
        assert "read the keys back to check it worked: it did" in page.content()
