"""A learner takes quizzes in Chromium: with htmx swapping each step in, and without JavaScript."""

import re
from collections.abc import Iterator

import pytest

from quiz.models import Question
from tests.quiz.conftest import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_each(page, slug: str, *, correct: bool) -> None:
    """Answer every question of the quiz in turn (right or wrong) and open the results."""
    questions = list(Question.objects.filter(quiz__slug=slug).order_by("order"))
    for number, question in enumerate(questions, start=1):
        page.get_by_role("heading", name=re.compile(f"Question {number} of {len(questions)}"))
        page.locator(f"#choice-{pick(question, correct=correct).pk}").check()
        page.get_by_role("button", name="Check answer").click()
        verdict = "Correct" if correct else "Incorrect"
        page.get_by_role("heading", name=re.compile(f"^{verdict}")).wait_for()
        assert page.get_by_role("status").first.inner_text().startswith(f"{verdict}.")
        assert page.get_by_role("heading", name="Worked solution").is_visible()
        assert page.get_by_text(question.solution.quick_check).is_visible()
        if number < len(questions):
            page.get_by_role("link", name="Next question").click()
        else:
            page.get_by_role("link", name="See your results").click()
    page.wait_for_url(re.compile(r"/results/$"))


def test_a_learner_scores_five_of_five_then_retakes_and_sees_the_solutions(page, content):
    page.goto("/quiz/practice/")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(re.compile(r"/quiz/attempts/\d+/questions/\d+/$"))
    page.get_by_role("button", name="Show a hint").click()
    page.get_by_text("Hint: Local memory cache: a private store in each process").wait_for()
    answer_each(page, "practice", correct=True)
    assert page.locator(".quiz-score").inner_text() == "Score: 5/5 (100%)"
    assert "Hints used\n1" in page.locator(".quiz-facts").inner_text()

    page.get_by_role("button", name="Retake the quiz").click()
    answer_each(page, "practice", correct=False)
    assert page.locator(".quiz-score").inner_text() == "Score: 0/5 (0%)"
    assert page.get_by_role("heading", name="Worked solution").count() == 5
    assert page.get_by_text("Your choice", exact=True).count() == 5

    page.goto("/quiz/")
    assert "your best score: 5/5" in page.get_by_role("main").inner_text()


def test_htmx_swaps_each_step_in_without_reloading_the_page(page, content) -> None:
    page.goto("/quiz/performance/")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(re.compile(r"/quiz/attempts/\d+/questions/\d+/$"))
    page.evaluate("window.stillTheSamePage = true")
    first = Question.objects.get(quiz__slug="performance", order=1)
    page.locator(f"#choice-{pick(first, correct=True).pk}").check()
    page.get_by_role("button", name="Check answer").click()
    page.wait_for_url(re.compile(rf"/questions/{first.pk}/$"))
    page.get_by_role("link", name="Next question").click()
    page.get_by_role("heading", name=re.compile("Question 2 of 5")).wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    # htmx focuses the new step's heading (autofocus) once the swap has settled
    page.wait_for_function("document.activeElement.id === 'quiz-step-heading'")


@pytest.fixture
def page_without_js(browser, live_server) -> Iterator:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_learner_without_javascript_takes_the_test_quiz_end_to_end(page_without_js, content):
    page = page_without_js
    page.goto("/quiz/test/")
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_role("button", name="Show a hint").click()
    page.get_by_text(re.compile("^Hint: ")).wait_for()
    answer_each(page, "test", correct=True)
    total = Question.objects.filter(quiz__slug="test").count()
    assert page.locator(".quiz-score").inner_text() == f"Score: {total}/{total} (100%)"


def answer_with_htmx(page, question: Question, *, correct: bool) -> None:
    page.locator(f"#choice-{pick(question, correct=correct).pk}").check()
    page.get_by_role("button", name="Check answer").click()
    page.get_by_role("heading", name="Worked solution").wait_for()


def test_back_after_an_htmx_answer_shows_the_step_before_never_the_answered_form(
    page, content
) -> None:
    questions = list(Question.objects.filter(quiz__slug="performance").order_by("order"))
    first, second, third = questions[:3]
    page.goto("/quiz/performance/")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(re.compile(rf"/questions/{first.pk}/$"))
    answer_with_htmx(page, first, correct=True)
    page.get_by_role("link", name="Next question").click()
    page.wait_for_url(re.compile(rf"/questions/{second.pk}/$"))
    answer_with_htmx(page, second, correct=False)

    page.go_back()
    page.wait_for_url(re.compile(rf"/questions/{first.pk}/$"))
    page.get_by_role("heading", name=re.compile("^Correct")).wait_for()
    assert page.get_by_role("button", name="Check answer").count() == 0
    page.go_forward()
    page.wait_for_url(re.compile(rf"/questions/{second.pk}/$"))
    page.get_by_role("heading", name=re.compile("^Incorrect")).wait_for()
    page.get_by_role("link", name="Next question").click()
    page.get_by_role("heading", name=re.compile(f"Question 3 of {len(questions)}")).wait_for()
    answer_with_htmx(page, third, correct=True)

    page.go_back()
    page.wait_for_url(re.compile(rf"/questions/{second.pk}/$"))
    page.get_by_role("heading", name=re.compile("^Incorrect")).wait_for()
    page.go_back()
    page.go_back()
    page.wait_for_url(re.compile(r"/quiz/performance/$"))
    assert page.get_by_role("button", name="Retake the quiz").is_visible()


def test_feedback_links_to_the_lesson_section_and_to_the_sandbox_with_the_code(page, content):
    third = Question.objects.get(quiz__slug="practice", order=3)  # the dict in Memcached
    page.goto("/quiz/practice/")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url(re.compile(r"/questions/\d+/$"))
    page.goto(re.sub(r"/questions/\d+/$", f"/questions/{third.pk}/", page.url))
    answer_with_htmx(page, third, correct=False)

    page.get_by_role("link", name=re.compile("Pickling: why a dict round-trips")).click()
    page.wait_for_url(re.compile(r"/lessons/memcached/#pickling-why-a-dict-round-trips$"))
    assert page.locator("#pickling-why-a-dict-round-trips").is_visible()
    page.go_back()
    page.get_by_role("link", name="Try it in the sandbox").click()
    page.wait_for_url(re.compile(r"/sandbox/\?code="))
    assert page.locator("#code").input_value() == "cache.set('key', {'a': 1})\ncache.get('key')"
