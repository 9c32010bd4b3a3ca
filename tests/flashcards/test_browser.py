"""Flashcards in Chromium: by keyboard with JavaScript, and by form posts without it."""

import re

import pytest

from flashcards.models import Review
from tests.accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_space_shows_the_answer_and_a_number_key_rates_the_card(page, deck) -> None:
    page.goto("/flashcards/")
    page.get_by_role("heading", name=deck[0].front).wait_for()
    assert not page.get_by_text(deck[0].back).is_visible()
    page.keyboard.press("Space")
    page.get_by_text(deck[0].back).wait_for()
    page.keyboard.press("3")
    page.get_by_text(re.compile("Good: you will see that card again in")).wait_for()
    page.get_by_role("heading", name=deck[1].front).wait_for()
    assert Review.objects.get().last_rating == 3


def test_without_javascript_the_answer_opens_and_a_button_rates_it(browser, live_server, deck):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/flashcards/")
    page.get_by_text("Show the answer").click()
    page.get_by_role("button", name="1 · Again").click()
    page.wait_for_url(re.compile(r"/flashcards/$"))
    page.get_by_text(re.compile("Again: you will see that card again in")).wait_for()
    assert Review.objects.get().last_rating == 1
    context.close()


def test_on_a_phone_the_rating_buttons_fit_the_screen(page, deck) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/flashcards/")
    page.get_by_text("Show the answer").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for number in range(1, 5):
        box = page.locator(f"[data-rating='{number}']").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_axe_finds_no_serious_violation_with_the_answer_shown(page, deck) -> None:
    page.goto("/flashcards/")
    page.get_by_text("Show the answer").click()
    assert serious_violations(page) == []
