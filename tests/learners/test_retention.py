"""`manage.py prune`: anonymous learners inactive for the retention age are forgotten,
accounts and recently active visitors keep everything."""

import io
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from lab.models import Result
from learners.identity import Learner
from lessons.models import Lesson, Reading
from quiz.models import Answer, Attempt, HintUse, Question, Quiz
from sandbox import history

pytestmark = pytest.mark.django_db

DAYS_AGO_100 = timezone.now() - timedelta(days=100)


@pytest.fixture
def content(db) -> None:
    """The lessons and quizzes: in the test database for the session (tests/conftest.py)."""


def work(learner: Learner, *, when, answered=None) -> dict:
    """A quiz attempt with an answer and a hint, a reading and a lab result, all made
    `when` (the answer `answered`, if given)."""
    quiz = Quiz.objects.get(slug="practice")
    question = Question.objects.filter(quiz=quiz).first()
    attempt = Attempt.objects.create(quiz=quiz, **learner.owner_fields())
    answer = Answer.objects.create(
        attempt=attempt, question=question, choice=question.choices.first()
    )
    HintUse.objects.create(attempt=attempt, question=question)
    reading = Reading.objects.create(lesson=Lesson.objects.first(), **learner.owner_fields())
    result = Result.objects.create(kind="cold-start", figures={}, **learner.owner_fields())
    Attempt.objects.filter(pk=attempt.pk).update(started_at=when)
    Answer.objects.filter(pk=answer.pk).update(answered_at=answered or when)
    HintUse.objects.filter(attempt=attempt).update(revealed_at=when)
    Reading.objects.filter(pk=reading.pk).update(read_at=when)
    Result.objects.filter(pk=result.pk).update(measured_at=when)
    return {"attempt": attempt.pk, "reading": reading.pk, "result": result.pk}


def exists(rows: dict) -> dict[str, bool]:
    return {
        "attempt": Attempt.objects.filter(pk=rows["attempt"]).exists(),
        "reading": Reading.objects.filter(pk=rows["reading"]).exists(),
        "result": Result.objects.filter(pk=rows["result"]).exists(),
    }


def prune(*args: str) -> str:
    out = io.StringIO()
    call_command("prune", *args, stdout=out)
    return out.getvalue()


ALL = {"attempt": True, "reading": True, "result": True}
NONE = {"attempt": False, "reading": False, "result": False}


def test_an_inactive_visitor_is_forgotten_and_an_account_keeps_its_work(
    content, django_user_model
) -> None:
    ada = django_user_model.objects.create_user("ada", password="pw")
    gone = work(Learner(visitor="gone"), when=DAYS_AGO_100)
    accounts = work(Learner(user_id=ada.pk), when=DAYS_AGO_100 - timedelta(days=300))
    newest = Result.objects.create(kind="cold-start", figures={}, user=ada)  # the quoted one
    out = prune()
    assert exists(gone) == NONE
    assert not Answer.objects.filter(attempt_id=gone["attempt"]).exists()
    assert not HintUse.objects.filter(attempt_id=gone["attempt"]).exists()
    assert exists(accounts) == ALL and Result.objects.filter(pk=newest.pk).exists()
    assert "1 anonymous quiz attempts, 1 anonymous readings, 1 anonymous lab results" in out


def test_a_visitor_active_within_the_age_keeps_their_old_rows_too(content) -> None:
    recent = work(Learner(visitor="back"), when=DAYS_AGO_100, answered=timezone.now())
    prune()
    assert exists(recent) == ALL


def test_the_newest_result_of_each_experiment_stays_whoever_ran_it(content) -> None:
    only = work(Learner(visitor="gone"), when=DAYS_AGO_100)
    Result.objects.exclude(pk=only["result"]).delete()
    prune()
    assert exists(only) == {"attempt": False, "reading": False, "result": True}


def test_the_age_comes_from_the_setting_or_the_option(content) -> None:
    rows = work(Learner(visitor="gone"), when=DAYS_AGO_100)
    Result.objects.create(kind="cold-start", figures={}, visitor="someone")
    with override_settings(RETENTION_DAYS=101):
        prune()
    assert exists(rows) == ALL
    assert "Would delete." in prune("--days", "99", "--dry-run")
    assert exists(rows) == ALL
    prune("--days", "99")
    assert exists(rows) == NONE


def test_expired_sessions_and_old_login_failures_go(db) -> None:
    live, expired = SessionStore(), SessionStore()
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    fields = {"user_agent": "ua", "http_accept": "*/*", "path_info": "/", "failures_since_start": 1}
    old = AccessAttempt.objects.create(username="ada", ip_address="10.0.0.1", **fields)
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=DAYS_AGO_100)
    locking = AccessAttempt.objects.create(username="bob", ip_address="10.0.0.2", **fields)
    out = prune()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert list(AccessAttempt.objects.all()) == [locking]
    assert "1 login failure rows, 1 expired sessions" in out


def test_a_login_failure_still_inside_the_cool_off_stays(db) -> None:
    fields = {"user_agent": "ua", "http_accept": "*/*", "path_info": "/", "failures_since_start": 5}
    row = AccessAttempt.objects.create(username="ada", ip_address="10.0.0.1", **fields)
    AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - timedelta(days=2))
    with override_settings(AXES_COOLOFF_TIME=timedelta(days=3)):
        prune("--days", "1")
    assert AccessAttempt.objects.filter(pk=row.pk).exists()
    prune("--days", "1")
    assert not AccessAttempt.objects.exists()


def test_sandbox_histories_of_inactive_visitors_go_and_accounts_stay(django_user_model) -> None:
    ada = django_user_model.objects.create_user("ada", password="pw")
    old_run = {"at": time.time() - 100 * 86400, "code": "cache.get('k')", "lines": []}
    new_run = old_run | {"at": time.time()}
    learners = {
        "gone": Learner(visitor="gone"),
        "back": Learner(visitor="back"),
        "ada": Learner(user_id=ada.pk),
    }
    history.write(learners["gone"].namespace, [old_run])
    history.write(learners["back"].namespace, [old_run, new_run])
    history.write(learners["ada"].namespace, [old_run])
    assert "1 anonymous sandbox histories" in prune()
    assert history.entries(learners["gone"].namespace) == []
    assert len(history.entries(learners["back"].namespace)) == 2
    assert len(history.entries(learners["ada"].namespace)) == 1
