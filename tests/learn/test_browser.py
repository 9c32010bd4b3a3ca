"""The hub in Chromium: reached from home, readable on a phone and without JavaScript, no
serious accessibility violations."""

import pytest

from tests.accessibility import overflows_horizontally, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loaded(live_server) -> None:
    """The content, in the test database for the session (tests/conftest.py)."""


def test_home_leads_to_the_hub_and_the_hub_to_each_mode(page, loaded) -> None:
    page.goto("/")
    page.get_by_role("link", name="Choose how to learn").click()
    assert page.url.endswith("/learn/")
    assert page.get_by_role("heading", level=1).inner_text() == "Choose how to learn"
    assert serious_violations(page) == []
    for title, path in [("Read", "/lessons/"), ("Try it", "/sandbox/")]:
        page.goto("/learn/")
        page.get_by_role("link", name=title, exact=True).click()
        assert page.url.endswith(path)


def test_the_hub_is_reached_by_keyboard_from_the_navigation(page, loaded) -> None:
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/learn/"
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn/")


def test_the_hub_fits_a_phone_and_works_without_javascript(browser, live_server, loaded) -> None:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/learn/")
        assert not overflows_horizontally(page)
        page.get_by_role("link", name="Predict, then run").click()
        assert page.url.endswith("/challenges/")
    finally:
        context.close()
