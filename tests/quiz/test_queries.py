"""A quiz step is benchmarked against a bare Django view, so each stays a couple of queries:
the quiz content and the option statistics come from the shared cache once warm, and the
learner's progress in the attempt too until they next write to it."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from quiz import content as content_module
from quiz.content import content_key
from quiz.kept_progress import kept_key
from tests.quiz.conftest import answer, pick, start, step_url

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code in (200, 302)
    return len(queries)


def test_a_question_step_takes_two_queries_once_the_content_is_cached(client, practice) -> None:
    attempt = start(client, "practice")
    step = step_url(attempt)
    client.get(step)
    cache.delete(kept_key(attempt.pk))
    assert count_queries(lambda: client.get(step, headers=HTMX)) == 2


def test_a_repeated_question_step_takes_no_query_while_the_progress_is_kept(
    client, practice
) -> None:
    attempt = start(client, "practice")
    step = step_url(attempt)
    client.get(step)
    assert count_queries(lambda: client.get(step, headers=HTMX)) == 0


def test_answering_and_the_feedback_take_a_handful_of_queries(client, practice) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    choice = pick(first, correct=True).pk
    client.get(step_url(attempt))
    assert count_queries(lambda: answer(client, attempt, first, choice)) <= 5
    feedback = f"/quiz/attempts/{attempt.pk}/questions/{first.pk}/"
    client.get(feedback)  # fills the statistics cache and keeps the progress
    assert count_queries(lambda: client.get(feedback, headers=HTMX)) == 0
    cache.delete(kept_key(attempt.pk))
    assert count_queries(lambda: client.get(feedback, headers=HTMX)) == 2


def test_the_results_page_does_not_grow_with_the_number_of_questions(client, content) -> None:
    small, large = start(client, "performance"), start(client, "test")
    for attempt in (small, large):
        for question in attempt.quiz.questions.all():
            answer(client, attempt, question, pick(question, correct=True).pk)
    results = [
        count_queries(lambda a=attempt: client.get(f"/quiz/attempts/{a.pk}/results/"))
        for attempt in (small, large)
    ]
    assert results[0] == results[1] == 2


def test_editing_a_question_drops_the_cached_content(client, practice) -> None:
    content_module._loaded.clear()  # this process's copy, kept from earlier tests
    attempt = start(client, "practice")
    client.get(step_url(attempt))
    assert cache.get(content_key(practice.pk)) is not None
    first = practice.questions.get(order=1)
    first.prompt = "Which backend keeps one store per process?"
    first.save()
    assert cache.get(content_key(practice.pk)) is None
    html = client.get(step_url(attempt)).content.decode()
    assert escape(first.prompt) in html
