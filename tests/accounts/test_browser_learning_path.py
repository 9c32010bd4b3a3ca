"""One learner's path in Chromium: anonymous work, sign-up, progress on another device, review."""

import re

import pytest
from playwright.sync_api import Page, expect

from lessons.models import Lesson
from quiz.models import Question
from tests.accounts.conftest import PASSWORD
from tests.quiz.conftest import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRACTICE_ROW = re.compile(r"^\s*Practice: cache backends\s+1\s+4/5 \(80%\)\s+4/5 \(80%\)")


def sign_up(page: Page, username: str) -> None:
    page.get_by_role("banner").get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign up").click()


def log_in(page: Page, username: str) -> None:
    page.get_by_role("banner").get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def log_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()


def read_lesson(page: Page, slug: str) -> None:
    page.goto(f"/lessons/{slug}/")
    page.locator("#lesson-end").scroll_into_view_if_needed()
    page.get_by_role("button", name="Mark as read").click()
    page.get_by_text("✓ You have read this lesson.").wait_for()


def answer(page: Page, question: Question, *, correct: bool) -> None:
    page.locator(f"#choice-{pick(question, correct=correct).pk}").check()
    page.get_by_role("button", name="Check answer").click()
    verdict = "Correct" if correct else "Incorrect"
    page.get_by_role("heading", name=re.compile(f"^{verdict}")).wait_for()


def take_practice_with_one_wrong(page: Page, wrong: Question) -> None:
    page.goto("/quiz/practice/")
    page.get_by_role("button", name="Start the quiz").click()
    questions = list(Question.objects.filter(quiz__slug="practice").order_by("order"))
    for number, question in enumerate(questions, start=1):
        page.get_by_role("heading", name=re.compile(f"Question {number} of 5")).wait_for()
        answer(page, question, correct=question != wrong)
        next_step = "Next question" if number < len(questions) else "See your results"
        page.get_by_role("link", name=next_step).click()
    page.wait_for_url(re.compile(r"/results/$"))


def expect_the_work_on_progress(page: Page) -> None:
    main = page.get_by_role("main")
    expect(main).to_contain_text(
        f"1 of {Lesson.objects.count()} lessons read · 1 question to review."
    )
    expect(page.get_by_role("row", name=re.compile("^Redis:"))).to_contain_text("Read")
    expect(page.get_by_role("row", name=re.compile("^Practice:"))).to_have_text(PRACTICE_ROW)
    expect(main).not_to_contain_text("Keep your progress")


def test_anonymous_work_follows_the_learner_into_an_account_and_onto_another_device(
    page: Page, browser, live_server, course, tmp_path
) -> None:
    dict_in_memcached = Question.objects.get(quiz__slug="practice", order=3)
    read_lesson(page, "redis")
    take_practice_with_one_wrong(page, dict_in_memcached)

    sign_up(page, "ada")
    page.wait_for_url(re.compile(r"/progress/$"))
    expect(page.get_by_role("banner")).to_contain_text("Signed in as ada")
    expect_the_work_on_progress(page)
    page.screenshot(path=tmp_path / "progress.png", full_page=True)
    log_out(page)
    page.goto("/progress/")
    expect(page.get_by_role("main")).to_contain_text(f"0 of {Lesson.objects.count()} lessons read")

    other_device = browser.new_context(base_url=live_server.url).new_page()
    other_device.set_default_timeout(10_000)
    other_device.goto("/")
    log_in(other_device, "ada")
    other_device.wait_for_url(re.compile(r"/progress/$"))
    expect_the_work_on_progress(other_device)

    other_device.get_by_role("button", name="Review what you missed").click()
    other_device.get_by_role("heading", name=re.compile("Question 1 of 1")).wait_for()
    expect(other_device.get_by_role("main")).to_contain_text(dict_in_memcached.prompt[:40])
    answer(other_device, dict_in_memcached, correct=True)
    other_device.get_by_role("link", name=re.compile("Pickling: why a dict round-trips")).click()
    other_device.wait_for_url(re.compile(r"/lessons/memcached/#pickling-why-a-dict-round-trips$"))
    expect(other_device.locator("#pickling-why-a-dict-round-trips")).to_be_in_viewport()
    other_device.go_back()
    other_device.get_by_role("link", name="Try it in the sandbox").click()
    other_device.wait_for_url(re.compile(r"/sandbox/\?code="))
    expect(other_device.locator("#code")).to_have_value(
        "cache.set('key', {'a': 1})\ncache.get('key')"
    )

    other_device.goto("/progress/")
    expect(other_device.get_by_role("main")).to_contain_text(
        "Nothing to review: your latest answer to every question you tried was right."
    )
    other_device.context.close()
