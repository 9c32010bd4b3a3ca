"""The quiz step's fast paths give the same answers as the slow ones they replace."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import Q

from quiz.content import VERSION_KEY, quiz_content
from quiz.learners import Learner
from quiz.models import Attempt, Question
from tests.quiz.conftest import start

pytestmark = pytest.mark.django_db


def test_a_learner_owns_exactly_the_attempts_their_filter_matches(practice) -> None:
    alice = User.objects.create_user("alice")
    attempts = [
        Attempt.objects.create(quiz=practice, user=alice, session_key=""),
        Attempt.objects.create(quiz=practice, user=None, session_key="session-a"),
        Attempt.objects.create(quiz=practice, user=alice, session_key="session-a"),
    ]
    learners = [
        Learner(user_id=alice.pk, session_key=None),
        Learner(user_id=alice.pk + 1, session_key=None),
        Learner(user_id=None, session_key="session-a"),
        Learner(user_id=None, session_key="session-b"),
        Learner(user_id=None, session_key=None),
        Learner(user_id=None, session_key=""),
    ]
    for learner in learners:
        for attempt in attempts:
            matched = Attempt.objects.filter(learner.attempts & Q(pk=attempt.pk)).exists()
            assert learner.owns(attempt) == matched, (learner, attempt.pk)


def test_the_step_loads_the_attempt_with_its_quiz(client, practice) -> None:
    attempt = start(client, "practice")
    response = client.get(f"/quiz/attempts/{attempt.pk}/")
    shown = response.context["progress"].attempt
    assert (shown.pk, shown.quiz.pk, shown.quiz.title) == (attempt.pk, practice.pk, practice.title)
    assert shown.started_at == attempt.started_at
    assert not shown.quiz._state.adding


def test_a_changed_version_stamp_reloads_content_edited_behind_djangos_back(practice) -> None:
    before = quiz_content(practice.pk)
    Question.objects.filter(quiz=practice, order=1).update(prompt="Edited in the database.")
    assert quiz_content(practice.pk)[0].prompt == before[0].prompt  # the stamp has not moved
    cache.delete(VERSION_KEY)  # as when the stamp expires or Redis evicts it
    assert quiz_content(practice.pk)[0].prompt == "Edited in the database."


def test_an_edit_moves_the_version_stamp(practice) -> None:
    quiz_content(practice.pk)
    stamp = cache.get(VERSION_KEY)
    question = practice.questions.get(order=2)
    question.follow_up = "A new follow-up."
    question.save()
    assert cache.get(VERSION_KEY) not in (None, stamp)
    assert quiz_content(practice.pk)[1].follow_up == "A new follow-up."
