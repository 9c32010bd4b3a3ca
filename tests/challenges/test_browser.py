"""A learner in Chromium: from the hub to a challenge, predictions typed with the keyboard,
Run, the graded answers in place; the same without JavaScript and on a phone."""

import pytest

from tests.accessibility import overflows_horizontally, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "incr-round-trips"


@pytest.fixture
def loaded(live_server) -> None:
    """The content, in the test database for the session (tests/conftest.py)."""


def predict_with_the_keyboard(page) -> None:
    """Tab into each field; numbers typed, choices picked with the arrow keys."""
    page.locator("#id-q1-locmem").focus()
    for value in ["0", "2", "1", "1"]:
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    for _ in range(4):
        page.keyboard.press("ArrowDown")  # a select: the first real option
        page.keyboard.press("Tab")


def predict(page, number: str = "1", choice: str = "42") -> None:
    """The same number in every number field and the same option in every select."""
    for field in page.locator("input[type=number]").all():
        field.fill(number)
    for field in page.locator("select").all():
        field.select_option(choice)


def test_from_the_hub_to_a_graded_challenge_with_the_keyboard_only(page, loaded) -> None:
    page.goto("/learn/")
    page.get_by_role("link", name="Predict, then run").click()
    page.get_by_role("link", name="incr() on Redis: how many round trips?").click()
    assert page.url.endswith(f"/challenges/{SLUG}/")
    assert serious_violations(page) == []
    predict_with_the_keyboard(page)
    page.keyboard.press("Enter")  # on Run
    page.locator(".graded").wait_for()
    assert page.url.endswith(f"/challenges/{SLUG}/")  # htmx swapped the results in place
    assert "8 of 8" in page.locator(".score").inner_text()
    redis = page.locator('.graded-item[data-question="q1"][data-backend="redis"]')
    assert "✓ Right" in redis.inner_text()
    assert serious_violations(page) == []


def test_a_wrong_prediction_shows_the_wire_and_a_link_to_the_lesson(page, loaded) -> None:
    page.goto(f"/challenges/{SLUG}/")
    predict(page)
    page.get_by_role("button", name="Run").click()
    wrong = page.locator('.graded-item[data-question="q1"][data-backend="redis"]')
    wrong.wait_for()
    assert "✗ Wrong" in wrong.inner_text()
    assert "EXISTS sandbox-redis:" in wrong.locator(".wire-commands").inner_text()
    wrong.get_by_role("link", name="Read: Redis: Django's RedisCache and django-redis").click()
    assert page.url.endswith("/lessons/redis/#what-you-store-and-what-comes-back")


def test_missing_predictions_are_refused_in_place(page, loaded) -> None:
    page.goto(f"/challenges/{SLUG}/")
    page.evaluate("document.querySelector('form.predictions').noValidate = true")
    page.get_by_role("button", name="Run").click()
    alert = page.get_by_role("alert")
    assert alert.inner_text().startswith("Predict every answer before running.")


def test_a_challenge_works_without_javascript(browser, live_server, loaded) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"/challenges/{SLUG}/")
        predict(page, "2")
        page.get_by_role("button", name="Run").click()
        page.wait_for_url(f"**/challenges/{SLUG}/run")
        assert "right" in page.locator(".score").inner_text()
        assert page.locator("#id-q1-redis").input_value() == "2"  # kept as typed
    finally:
        context.close()


def test_the_pages_fit_a_phone(browser, live_server, loaded) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        for path in ["/challenges/", "/challenges/a-200-character-e-key/", f"/challenges/{SLUG}/"]:
            page.goto(path)
            assert not overflows_horizontally(page), path
        predict(page)
        page.get_by_role("button", name="Run").click()
        page.locator(".graded").wait_for()
        assert not overflows_horizontally(page)
        page.goto("/challenges/")
        assert serious_violations(page) == []
    finally:
        context.close()
