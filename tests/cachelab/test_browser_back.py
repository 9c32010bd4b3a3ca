"""Back shows the learner's current state, never a copy from before their last step (issue 20):
pages that show a learner's work are revalidated (private, no-cache), so Chromium asks again.
Each case runs with JavaScript on (htmx) and off (plain forms)."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def visit(request, browser, live_server, django_capture_on_commit_callbacks):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=request.param)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def back_to(page, path: str) -> None:
    """Press Back until the page at `path` is shown (a form's redirect adds a step)."""
    for _ in range(4):
        page.go_back()
        page.wait_for_load_state()
        if page.url.endswith(path):
            return
    pytest.fail(f"Back never reached {path} (at {page.url})")


def test_back_to_a_quiz_lists_the_attempt_just_started(visit) -> None:
    visit.goto("/quiz/practice/")
    assert "Your attempts" not in visit.content()
    visit.get_by_role("button", name="Start the quiz").click()
    visit.wait_for_url(re.compile(r"/questions/\d+/$"))
    visit.locator("input[name=choice]").first.check()
    visit.get_by_role("button", name="Check answer").click()
    visit.get_by_role("heading", name="Worked solution").wait_for()
    back_to(visit, "/quiz/practice/")
    assert "In progress (1/5 answered)" in visit.locator("main").inner_text()


def test_back_to_the_sandbox_shows_the_calls_just_run(visit) -> None:
    visit.goto("/sandbox/")
    assert "No calls yet." in visit.locator("#history").inner_text()
    for code in ("cache.set('a', 1)", "cache.get('a')"):
        visit.goto("/sandbox/")
        visit.locator("#code").fill(code)
        visit.get_by_role("button", name="Run", exact=True).click()
        visit.locator("#history").get_by_text(code).first.wait_for()
    visit.get_by_role("link", name="Quiz", exact=True).click()
    visit.wait_for_url(re.compile(r"/quiz/$"))
    back_to(visit, "/sandbox/")
    history = visit.locator("#history").inner_text()
    assert "No calls yet." not in history and "cache.get('a')" in history


def test_back_to_the_lesson_list_counts_the_lesson_just_read(visit) -> None:
    visit.goto("/lessons/")
    assert "You have read 0 of" in visit.locator("main").inner_text()
    visit.goto("/lessons/redis/read/")
    visit.get_by_role("button", name="Mark as read").click()
    visit.get_by_text("You have read this lesson.").wait_for()
    back_to(visit, "/lessons/")
    assert "You have read 1 of" in visit.locator("main").inner_text()
