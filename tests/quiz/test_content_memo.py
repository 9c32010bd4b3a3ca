"""Each process keeps a quiz's questions by content version; attempts load with their quiz."""

import time

import pytest
from django.core.cache import cache

from learners.identity import Learner
from quiz.attempts import Refused, owned_attempt
from quiz.content import CONTENT_TIMEOUT, quiz_content
from quiz.models import Question, Quiz
from tests.quiz.conftest import start

pytestmark = pytest.mark.django_db


def test_the_owned_attempt_comes_with_its_quiz(client, practice) -> None:
    attempt = start(client, "practice")
    shown = owned_attempt(Learner(visitor=attempt.visitor), attempt.pk)
    assert (shown.pk, shown.quiz.pk, shown.quiz.title) == (attempt.pk, practice.pk, practice.title)
    assert shown.started_at == attempt.started_at
    assert "quiz" in shown._state.fields_cache


def test_another_visitors_attempt_is_refused_as_if_it_did_not_exist(client, practice) -> None:
    attempt = start(client, "practice")
    for stranger in (Learner(visitor="someone-else"), Learner(user_id=1), Learner()):
        with pytest.raises(Refused) as refusal:
            owned_attempt(stranger, attempt.pk)
        assert refusal.value.status == 404


def test_content_edited_behind_djangos_back_is_seen_once_the_kept_copy_is_an_hour_old(
    practice, monkeypatch
) -> None:
    before = quiz_content(practice)
    Question.objects.filter(quiz=practice, order=1).update(prompt="Edited in the database.")
    cache.clear()
    assert quiz_content(practice)[0].prompt == before[0].prompt  # this process's copy
    later = time.monotonic() + CONTENT_TIMEOUT + 1
    monkeypatch.setattr("quiz.content.time.monotonic", lambda: later)
    assert quiz_content(practice)[0].prompt == "Edited in the database."


def test_an_edit_gives_every_quiz_a_new_content_version(content) -> None:
    quizzes = list(Quiz.objects.all())
    for quiz in quizzes:
        quiz_content(quiz)
    question = Question.objects.get(quiz=quizzes[0], order=2)
    question.follow_up = "A new follow-up."
    question.save()
    for quiz in quizzes:
        fresh = Quiz.objects.get(pk=quiz.pk)
        assert fresh.content_version != quiz.content_version
    assert quiz_content(Quiz.objects.get(pk=quizzes[0].pk))[1].follow_up == "A new follow-up."
