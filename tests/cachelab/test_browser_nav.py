import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_follows_the_navigation_to_every_section(page) -> None:
    page.goto("/")
    assert page.locator("h1").inner_text().startswith("Cache backends in Django")
    nav = page.get_by_role("navigation", name="Main")
    for name, path in [("Lessons", "/lessons/"), ("Quiz", "/quiz/"), ("Sandbox", "/sandbox/")]:
        nav.get_by_role("link", name=name).click()
        page.wait_for_url(re.compile(re.escape(path) + "$"))
        assert nav.get_by_role("link", name=name).get_attribute("aria-current") == "page"


def test_the_skip_link_moves_focus_to_the_main_content(page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
