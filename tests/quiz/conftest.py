"""Quiz test helpers: the course content, and a learner taking a quiz through the views."""

import re

import pytest
from django.test import Client

from quiz.models import Attempt, Choice, Question, Quiz

# The quiz content as `make db` loads it (loadcontent also reads a question naming its lesson
# the older way); in the test database for the session (tests/conftest.py).
FIXTURES = ["fixtures/lessons.json", "fixtures/quiz.json", "fixtures/quiz-new-lessons.json"]


@pytest.fixture
def content(db) -> None:
    """The lessons and quizzes: in the test database for the session (tests/conftest.py)."""


@pytest.fixture
def practice(content) -> Quiz:
    return Quiz.objects.get(slug="practice")


def start(client: Client, slug: str) -> Attempt:
    response = client.post(f"/quiz/{slug}/start/")
    assert response.status_code == 302, response.content
    pk = int(re.search(r"/quiz/attempts/(\d+)/", response["Location"]).group(1))
    return Attempt.objects.get(pk=pk)


def pick(question: Question, *, correct: bool) -> Choice:
    return question.choices.filter(is_correct=correct).first()


def answer_url(attempt: Attempt, question: Question) -> str:
    return f"/quiz/attempts/{attempt.pk}/questions/{question.pk}/answer/"


def answer(client: Client, attempt: Attempt, question: Question, choice_id, **headers):
    return client.post(answer_url(attempt, question), {"choice": choice_id}, headers=headers)


def take(client: Client, slug: str, right: list[bool]) -> Attempt:
    """Take a whole quiz as a learner without JavaScript, answering right or wrong in turn."""
    attempt = start(client, slug)
    for question, correct in zip(attempt.quiz.questions.order_by("order"), right, strict=True):
        response = answer(client, attempt, question, pick(question, correct=correct).pk)
        assert response.status_code == 302, response.content
    attempt.refresh_from_db()
    return attempt


def step_url(attempt: Attempt) -> str:
    """The URL of the attempt's next unanswered question (its results once all are answered)."""
    answered = set(attempt.answers.values_list("question_id", flat=True))
    questions = attempt.quiz.questions.order_by("order", "pk")
    question = next((q for q in questions if q.pk not in answered), None)
    if question is None:
        return f"/quiz/attempts/{attempt.pk}/results/"
    return f"/quiz/attempts/{attempt.pk}/questions/{question.pk}/"
