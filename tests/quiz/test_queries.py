"""A quiz step is benchmarked against a bare Django view, so each stays a few small queries:
the quiz content comes from the site's generational cache once warm; the learner's session
and progress are read from the database on every step."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from tests.quiz.conftest import answer, pick, start, step_url

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def queries_of(call) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code in (200, 302)
    return [query["sql"] for query in queries]


def test_a_question_step_reads_the_session_the_attempt_and_the_progress_once_content_is_warm(
    client, practice
) -> None:
    attempt = start(client, "practice")
    step = step_url(attempt)
    client.get(step)  # stores the quiz's content
    queries = queries_of(lambda: client.get(step, headers=HTMX))
    assert len(queries) == 3, queries
    assert "django_session" in queries[0]


def test_answering_and_the_feedback_take_a_handful_of_queries(client, practice) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    choice = pick(first, correct=True).pk
    client.get(step_url(attempt))
    assert len(queries_of(lambda: answer(client, attempt, first, choice))) <= 6
    feedback = f"/quiz/attempts/{attempt.pk}/questions/{first.pk}/"
    # the session, the attempt, its progress and the first-attempt counts
    assert len(queries_of(lambda: client.get(feedback, headers=HTMX))) == 4


def test_the_results_page_does_not_grow_with_the_number_of_questions(client, content) -> None:
    small, large = start(client, "performance"), start(client, "test")
    for attempt in (small, large):
        for question in attempt.quiz.questions.all():
            answer(client, attempt, question, pick(question, correct=True).pk)
    results = [
        len(queries_of(lambda a=attempt: client.get(f"/quiz/attempts/{a.pk}/results/")))
        for attempt in (small, large)
    ]
    assert results[0] == results[1] == 3


def test_editing_a_question_shows_on_the_next_step(
    client, practice, django_capture_on_commit_callbacks
) -> None:
    attempt = start(client, "practice")
    client.get(step_url(attempt))
    first = practice.questions.get(order=1)
    first.prompt = "Which backend keeps one store per process?"
    with django_capture_on_commit_callbacks(execute=True):
        first.save()
    html = client.get(step_url(attempt)).content.decode()
    assert escape(first.prompt) in html
