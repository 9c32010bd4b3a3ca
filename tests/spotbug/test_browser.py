"""Spot the bug in Chromium: keyboard only with htmx, and without JavaScript."""

import re

import pytest

from spotbug.models import Answer
from tests.accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_picks_the_line_by_keyboard_and_reads_why(page, snippets) -> None:
    snippet = snippets[0]
    page.goto(f"/spot-the-bug/{snippet.pk}/")
    page.evaluate("window.stillTheSamePage = true")
    page.locator("input[name=line]").first.focus()
    for _ in range(snippet.faulty_line - 1):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_text(f"Right: line {snippet.faulty_line}.").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    assert Answer.objects.get().right


def test_without_javascript_a_wrong_pick_says_look_again(browser, live_server, snippets) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    snippet = snippets[1]
    wrong = 1 if snippet.faulty_line != 1 else 2
    page.goto(f"/spot-the-bug/{snippet.pk}/")
    page.locator(f"input[name=line][value='{wrong}']").check()
    page.get_by_role("button", name="This line has the bug").click()
    page.wait_for_url(re.compile(rf"/spot-the-bug/{snippet.pk}/$"))
    page.get_by_text(f"Not line {wrong}.").wait_for()
    context.close()


def test_on_a_phone_long_lines_scroll_inside_the_snippet_not_the_page(page, snippets) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    for snippet in snippets:
        page.goto(f"/spot-the-bug/{snippet.pk}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, snippet.title


def test_axe_finds_no_serious_violation_on_the_list_or_an_answered_snippet(page, snippets) -> None:
    page.goto("/spot-the-bug/")
    assert serious_violations(page) == []
    page.goto(f"/spot-the-bug/{snippets[0].pk}/")
    page.locator("input[name=line]").first.check()
    page.get_by_role("button", name="This line has the bug").click()
    page.get_by_text("Not line 1.").or_(page.get_by_text("Right: line 1.")).wait_for()
    assert serious_violations(page) == []
