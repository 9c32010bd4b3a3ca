"""A learner in a real browser runs calls on all four backends and sees the true results."""

import pytest

from cachelab.backends import NAMES

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


def test_the_sandbox_works_without_javascript(browser, live_server) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/sandbox/")
        page.get_by_role("button", name="Run", exact=True).click()
        page.wait_for_url("**/sandbox/run")
        cell = (
            page.locator("#results .line")
            .nth(1)
            .locator('.cell[data-backend="memcached"] .outcome-value')
        )
        assert cell.inner_text() == "'hello'"
    finally:
        context.close()
