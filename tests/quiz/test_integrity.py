"""Cheat-proofing: nothing in the page gives the answer away, and every answer that is not
the learner's own first answer to a question of their attempt is refused with a 4xx,
a clear message and no change."""

import re

import pytest
from django.test import Client
from django.utils.html import escape

from quiz.models import Answer, Choice, Question
from tests.quiz.conftest import answer, answer_url, pick, start, step_url

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


def question_page(client: Client, attempt, **headers) -> str:
    html = client.get(step_url(attempt), headers=headers).content.decode()
    return CSRF.sub("", html)


def make_correct(question: Question, correct: Choice) -> None:
    for choice in question.choices.all():
        choice.is_correct = choice.pk == correct.pk
        choice.save()  # through the model, so the cached quiz content is dropped too


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx-partial"])
def test_the_question_page_is_the_same_whichever_option_is_correct(
    client, practice, headers
) -> None:
    """The strongest no-leak check: move the correct answer to each option in turn and the
    HTML before answering does not change at all (CSRF tokens aside)."""
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    client.post(f"/quiz/attempts/{attempt.pk}/questions/{first.pk}/hint/")
    pages = set()
    for choice in first.choices.all():
        make_correct(first, choice)
        pages.add(question_page(client, attempt, **headers))
    assert len(pages) == 1


def test_the_question_page_holds_no_answer_data_before_answering(client, practice) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    html = client.get(step_url(attempt)).content.decode()
    step = html[html.index('<section id="quiz-step"') : html.index("</section>")]
    assert "correct" not in step.lower()
    assert "data-" not in step
    assert step.count('type="hidden"') == step.count('name="csrfmiddlewaretoken"') == 2
    assert "<script" not in step and "application/json" not in html
    for choice in first.choices.all():
        assert escape(choice.why) not in html
    assert escape(first.solution.quick_check) not in html
    assert first.steps.first().title not in html


def test_answering_the_same_question_twice_is_refused_and_the_first_answer_stays(
    client, practice
) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    answer(client, attempt, first, pick(first, correct=False).pk)
    response = answer(client, attempt, first, pick(first, correct=True).pk)
    assert response.status_code == 409
    assert "You have already answered this question" in response.content.decode()
    assert f'<a href="/quiz/attempts/{attempt.pk}/">Back to your attempt</a>' in (
        response.content.decode()
    )
    assert Answer.objects.get(attempt=attempt, question=first).choice.is_correct is False


def test_a_question_of_another_quiz_is_refused(client, content) -> None:
    attempt = start(client, "practice")
    other = Question.objects.get(quiz__slug="performance", order=1)
    response = answer(client, attempt, other, pick(other, correct=True).pk)
    assert response.status_code == 404
    assert "That question is not part of this attempt&#x27;s quiz." in response.content.decode()
    assert not Answer.objects.exists()


def test_another_learners_attempt_cannot_be_answered_or_read(client, practice) -> None:
    theirs = start(Client(), "practice")
    first = practice.questions.get(order=1)
    response = answer(client, theirs, first, pick(first, correct=True).pk)
    assert response.status_code == 404
    assert "There is no attempt of yours with that number." in response.content.decode()
    for path in ["", "results/", f"questions/{first.pk}/"]:
        assert client.get(f"/quiz/attempts/{theirs.pk}/{path}").status_code == 404
    assert client.post(f"/quiz/attempts/{theirs.pk}/questions/{first.pk}/hint/").status_code == 404
    assert not Answer.objects.exists()
    assert not theirs.hint_uses.exists()


def test_an_attempt_of_mine_in_another_session_is_not_mine(client, practice) -> None:
    attempt = start(client, "practice")
    client.cookies.clear()
    assert client.get(step_url(attempt)).status_code == 404


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ("999999", "That option is not one of this question&#x27;s options."),
        ("abc", "That option is not one of this question&#x27;s options."),
        ("-1", "That option is not one of this question&#x27;s options."),
        ("", "Choose one of the options before checking your answer."),
    ],
)
def test_an_unknown_or_missing_option_is_a_400(client, practice, posted, message) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    response = answer(client, attempt, first, posted)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.exists()


def test_an_option_of_another_question_is_a_400(client, practice) -> None:
    attempt = start(client, "practice")
    first, second = practice.questions.order_by("order")[:2]
    response = answer(client, attempt, first, pick(second, correct=True).pk)
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_a_refusal_to_htmx_goes_to_the_alert_region_and_keeps_the_page(client, practice) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    answer(client, attempt, first, pick(first, correct=True).pk)
    response = answer(client, attempt, first, pick(first, correct=True).pk, **HTMX)
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#quiz-alert"
    assert response["HX-Reswap"] == "innerHTML"
    assert response.content.decode().strip().startswith('<p class="notice notice-error">')


def test_the_score_is_unchanged_after_refused_answers(client, practice) -> None:
    attempt = start(client, "practice")
    questions = list(practice.questions.order_by("order"))
    for question in questions:
        answer(client, attempt, question, pick(question, correct=False).pk)
    for question in questions:
        assert answer(client, attempt, question, pick(question, correct=True).pk).status_code == 409
    html = client.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()
    assert "Score: <strong>0/5</strong>" in html


def test_a_hint_after_answering_is_refused(client, practice) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    answer(client, attempt, first, pick(first, correct=True).pk)
    response = client.post(f"/quiz/attempts/{attempt.pk}/questions/{first.pk}/hint/")
    assert response.status_code == 409
    assert not attempt.hint_uses.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_answers_only_accept_post(client, practice, method) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    assert getattr(client, method)(answer_url(attempt, first)).status_code == 405


def test_a_quiz_with_no_questions_cannot_be_started(client, practice) -> None:
    practice.questions.all().delete()
    response = client.post("/quiz/practice/start/")
    assert response.status_code == 409
    assert "This quiz has no questions yet." in response.content.decode()
