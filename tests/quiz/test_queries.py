"""A quiz step is benchmarked against a bare Django view, so each stays a handful of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.quiz.conftest import answer, pick, start

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code in (200, 302)
    return len(queries)


def test_a_question_step_takes_a_handful_of_queries(client, practice) -> None:
    attempt = start(client, "practice")
    assert count_queries(lambda: client.get(f"/quiz/attempts/{attempt.pk}/", headers=HTMX)) <= 3


def test_answering_and_the_feedback_take_a_handful_of_queries(client, practice) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    choice = pick(first, correct=True).pk
    assert count_queries(lambda: answer(client, attempt, first, choice)) <= 8
    feedback = f"/quiz/attempts/{attempt.pk}/questions/{first.pk}/"
    client.get(feedback)  # fills the statistics cache
    assert count_queries(lambda: client.get(feedback, headers=HTMX)) <= 5


def test_the_results_page_does_not_grow_with_the_number_of_questions(client, content) -> None:
    small, large = start(client, "performance"), start(client, "test")
    for attempt in (small, large):
        for question in attempt.quiz.questions.all():
            answer(client, attempt, question, pick(question, correct=True).pk)
    results = [
        count_queries(lambda a=attempt: client.get(f"/quiz/attempts/{a.pk}/results/"))
        for attempt in (small, large)
    ]
    assert results[0] == results[1] <= 5
