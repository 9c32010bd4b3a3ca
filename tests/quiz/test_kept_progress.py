"""A learner's progress in an attempt is kept in the shared cache between steps: every write
drops it, nobody else is ever served it, and with Redis down the database answers."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils.html import escape

from learners.identity import Learner
from quiz.attempts import finish_if_complete, progress
from quiz.content import VERSION_KEY
from quiz.kept_progress import kept_key, kept_progress
from quiz.models import Answer, Attempt
from tests.conftest import cache_settings
from tests.quiz.conftest import answer, pick, start, step_url
from tests.servers import address_of_a_stopped_server

pytestmark = pytest.mark.django_db

CHECK = "Check answer"
SHOW_HINT = "Show a hint"


def question_url(attempt: Attempt, order: int) -> str:
    question = attempt.quiz.questions.get(order=order)
    return f"/quiz/attempts/{attempt.pk}/questions/{question.pk}/"


def test_a_step_keeps_the_progress_for_the_next_step(client, practice) -> None:
    attempt = start(client, "practice")
    client.get(step_url(attempt))
    kept = cache.get(kept_key(attempt.pk))
    assert (kept.attempt.pk, kept.chosen, kept.hinted) == (attempt.pk, {}, set())


def test_answering_drops_the_kept_progress_and_the_step_shows_the_feedback(
    client, practice
) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    url = question_url(attempt, 1)
    assert CHECK in client.get(url).content.decode()
    answer(client, attempt, first, pick(first, correct=True).pk)
    assert cache.get(kept_key(attempt.pk)) is None
    html = client.get(url).content.decode()
    assert CHECK not in html and "Correct" in html
    assert cache.get(kept_key(attempt.pk)).chosen == {first.pk: pick(first, correct=True).pk}


def test_revealing_a_hint_drops_the_kept_progress_and_the_step_shows_the_hint(
    client, practice
) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    url = question_url(attempt, 1)
    assert SHOW_HINT in client.get(url).content.decode()
    client.post(f"{url}hint/")
    assert cache.get(kept_key(attempt.pk)) is None
    html = client.get(url).content.decode()
    assert SHOW_HINT not in html and escape(first.solution.hint) in html


def test_finishing_drops_the_kept_progress(client, practice) -> None:
    attempt = start(client, "practice")
    questions = list(practice.questions.order_by("order"))
    for question in questions[:-1]:
        answer(client, attempt, question, pick(question, correct=True).pk)
    client.get(question_url(attempt, len(questions)))
    assert cache.get(kept_key(attempt.pk)) is not None
    # Written without the ORM's signals: finishing alone must drop what is kept.
    Answer.objects.bulk_create(
        [Answer(attempt=attempt, question=questions[-1], choice=pick(questions[-1], correct=True))]
    )
    finish_if_complete(progress(Attempt.objects.get(pk=attempt.pk)))
    assert cache.get(kept_key(attempt.pk)) is None
    html = client.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()
    assert "Score: <strong>5/5</strong>" in html and "not finished" not in html


def test_deleting_an_answer_in_the_admin_drops_the_kept_progress(client, practice) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    answer(client, attempt, first, pick(first, correct=False).pk)
    url = question_url(attempt, 1)
    assert CHECK not in client.get(url).content.decode()
    Answer.objects.get(attempt=attempt).delete()
    assert CHECK in client.get(url).content.decode()


def test_another_learner_is_never_served_the_kept_progress(client, practice) -> None:
    attempt = start(client, "practice")
    url = step_url(attempt)
    client.get(url)
    stranger = Client()
    stranger.post("/quiz/practice/start/")  # a visitor id of their own
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"/quiz/attempts/{attempt.pk}/results/").status_code == 404
    for other in (Learner(visitor="someone-else"), Learner(user_id=1), Learner()):
        assert kept_progress(other, attempt.pk) is None
    assert kept_progress(Learner(visitor=attempt.visitor), attempt.pk) is not None


def test_signing_in_drops_the_kept_progress_and_the_account_continues(
    client, practice, django_capture_on_commit_callbacks
) -> None:
    ada = get_user_model().objects.create_user("ada", password="a long passphrase")
    attempt = start(client, "practice")
    url = step_url(attempt)
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(ada)
    assert cache.get(kept_key(attempt.pk)) is None
    assert client.get(url).status_code == 200
    assert cache.get(kept_key(attempt.pk)).attempt.user_id == ada.pk


def test_a_content_edit_drops_the_current_version_so_kept_progress_is_not_trusted(
    client, practice
) -> None:
    attempt = start(client, "practice")
    client.get(step_url(attempt))
    assert cache.get(VERSION_KEY) == practice.content_version
    first = practice.questions.get(order=1)
    first.prompt = "Which backend keeps one store per process, edited?"
    first.save()
    assert cache.get(VERSION_KEY) is None
    assert kept_progress(Learner(visitor=attempt.visitor), attempt.pk) is None
    assert escape(first.prompt) in client.get(step_url(attempt)).content.decode()


def test_with_redis_down_the_steps_read_the_database(practice, memcached_server) -> None:
    down = f"redis://{address_of_a_stopped_server()}/0"
    with override_settings(**cache_settings(down, [memcached_server.address])):
        client = Client()
        attempt = start(client, "practice")
        first = practice.questions.get(order=1)
        url = question_url(attempt, 1)
        assert CHECK in client.get(url).content.decode()
        answer(client, attempt, first, pick(first, correct=True).pk)
        html = client.get(url).content.decode()
        assert CHECK not in html and "Correct" in html
