"""The quiz step's fast paths give the same answers as the slow ones they replace."""

import re
import time

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.cache import cache
from django.db.models import Q
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import resolve
from django_htmx.middleware import HtmxDetails

from quiz import pages
from quiz.attempts import owned_attempt, progress, review
from quiz.content import CONTENT_TIMEOUT, quiz_content
from quiz.learners import Learner
from quiz.models import Attempt, Question, Quiz
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


def test_the_owned_attempt_comes_with_its_quiz(client, practice) -> None:
    attempt = start(client, "practice")
    shown = owned_attempt(Learner(user_id=None, session_key=attempt.session_key), attempt.pk)
    assert (shown.pk, shown.quiz.pk, shown.quiz.title) == (attempt.pk, practice.pk, practice.title)
    assert shown.started_at == attempt.started_at
    assert not shown.quiz._state.adding


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


def without_csrf_tokens(html: bytes) -> str:
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "TOKEN", html.decode())


def rendered_afresh(request, template, _state, _review, context) -> str:
    return render_to_string(template, context, request)


def kept_and_fresh(client: Client, url: str, monkeypatch, **headers) -> tuple[str, str]:
    """The step as served from the kept pages, and as a plain render gives it."""
    kept = client.get(url, headers=headers).content
    with monkeypatch.context() as patched:
        patched.setattr("quiz.views.question_page", rendered_afresh)
        fresh = client.get(url, headers=headers).content
    return without_csrf_tokens(kept), without_csrf_tokens(fresh)


def option_order(attempt: Attempt) -> tuple[int, ...]:
    state = progress(attempt)
    return tuple(row.choice.pk for row in review(state, state.next_question).rows)


def test_a_kept_step_page_is_what_a_fresh_render_gives(client, practice, monkeypatch) -> None:
    attempt = start(client, "practice")
    url = f"/quiz/attempts/{attempt.pk}/"
    for headers in ({}, {"HX-Request": "true"}):
        client.get(url, headers=headers)  # keeps the page
        kept, fresh = kept_and_fresh(client, url, monkeypatch, **headers)
        assert kept == fresh
    client.post(f"{url}questions/{attempt.quiz.questions.get(order=1).pk}/hint/")
    kept, fresh = kept_and_fresh(client, url, monkeypatch)
    assert kept == fresh
    assert "<strong>Hint:</strong>" in kept


def test_a_page_kept_for_one_learner_shows_another_only_their_own_attempt(
    practice, monkeypatch
) -> None:
    """Two learners whose attempts order the options alike share the kept page."""
    seen: dict[tuple[int, ...], tuple[Client, Attempt]] = {}
    for _ in range(40):
        learner = Client()
        attempt = start(learner, "practice")
        order = option_order(attempt)
        if order in seen:
            break
        seen[order] = (learner, attempt)
        learner.get(f"/quiz/attempts/{attempt.pk}/")
    else:
        pytest.fail("no two attempts ordered the options alike")
    first = seen[order][1]
    kept, fresh = kept_and_fresh(learner, f"/quiz/attempts/{attempt.pk}/", monkeypatch)
    assert kept == fresh
    assert f"/quiz/attempts/{attempt.pk}/questions/" in kept
    assert f"/quiz/attempts/{first.pk}/" not in kept


def test_a_learner_with_messages_gets_them_on_a_freshly_rendered_step(client, practice) -> None:
    attempt = start(client, "practice")
    request = RequestFactory().get(f"/quiz/attempts/{attempt.pk}/")
    request.user = AnonymousUser()
    request.session = client.session
    request.htmx = HtmxDetails(request)
    request.resolver_match = resolve(request.path)
    request._messages = FallbackStorage(request)
    messages.info(request, "Your quiz was updated.")
    state = progress(attempt)
    shown = review(state, state.next_question)
    context = {"progress": state, "question": shown.question, "review": shown}
    kept_before = len(pages._pages)
    html = pages.question_page(request, "quiz/attempt.html", state, shown, context)
    assert "Your quiz was updated." in html
    assert len(pages._pages) == kept_before
