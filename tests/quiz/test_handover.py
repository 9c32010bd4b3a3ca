"""Signing in moves a visitor's quiz work to the account: nothing lost, nothing duplicated."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from quiz.models import Attempt, HintUse
from quiz.statistics import first_attempt_counts
from tests.quiz.conftest import answer, pick, start, step_url, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada():
    return get_user_model().objects.create_user("ada", password="a long passphrase")


def test_a_visitors_finished_and_unfinished_attempts_and_hints_move_to_the_account(
    client, practice, ada
) -> None:
    finished = take(client, "practice", [True, False, True, True, True])
    unfinished = start(client, "performance")
    first = unfinished.quiz.questions.get(order=1)
    client.post(f"/quiz/attempts/{unfinished.pk}/questions/{first.pk}/hint/")

    client.force_login(ada)

    moved = Attempt.objects.filter(pk__in=[finished.pk, unfinished.pk])
    assert {(a.user_id, a.visitor) for a in moved} == {(ada.pk, "")}
    assert Attempt.objects.count() == 2
    assert HintUse.objects.get().attempt_id == unfinished.pk
    html = client.get("/quiz/practice/").content.decode()
    assert f'href="/quiz/attempts/{finished.pk}/results/"' in html


def test_an_attempt_in_progress_is_finished_after_signing_in(client, practice, ada) -> None:
    attempt = start(client, "practice")
    questions = list(practice.questions.order_by("order"))
    answer(client, attempt, questions[0], pick(questions[0], correct=True).pk)
    client.force_login(ada)
    assert client.get(step_url(attempt)).status_code == 200
    for question in questions[1:]:
        response = answer(client, attempt, question, pick(question, correct=True).pk)
        assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.user == ada and attempt.finished_at is not None
    assert "Score: <strong>5/5</strong>" in client.get(step_url(attempt)).content.decode()


def test_an_account_with_work_of_its_own_keeps_it_and_counts_one_first_attempt_per_quiz(
    practice, ada, django_capture_on_commit_callbacks
) -> None:
    on_laptop = Client()
    on_laptop.force_login(ada)
    earlier = take(on_laptop, "practice", [True] * 5)  # the account's own first attempt
    visitor = Client()
    later = take(visitor, "practice", [False] * 5)  # the visitor's own first attempt
    assert earlier.is_first and later.is_first
    question = practice.questions.get(order=1)
    assert sum(first_attempt_counts(question.pk).values()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        visitor.force_login(ada)

    earlier.refresh_from_db()
    later.refresh_from_db()
    assert (earlier.user, later.user) == (ada, ada)
    assert earlier.is_first and not later.is_first
    assert sum(first_attempt_counts(question.pk).values()) == 1
    assert Attempt.objects.filter(user=ada).count() == 2


def test_the_visitor_who_started_first_keeps_the_first_attempt(practice, ada) -> None:
    visitor = Client()
    earlier = take(visitor, "practice", [False] * 5)
    on_laptop = Client()
    on_laptop.force_login(ada)
    later = take(on_laptop, "practice", [True] * 5)
    visitor.force_login(ada)
    earlier.refresh_from_db()
    later.refresh_from_db()
    assert earlier.is_first and not later.is_first


def test_another_visitors_work_stays_theirs(client, practice, ada) -> None:
    stranger = Client()
    theirs = start(stranger, "practice")
    start(client, "practice")
    client.force_login(ada)
    theirs.refresh_from_db()
    assert theirs.user is None and theirs.visitor
    assert client.get(step_url(theirs)).status_code == 404


def test_another_accounts_attempts_and_review_are_404(practice, ada) -> None:
    owner = Client()
    owner.force_login(ada)
    attempt = take(owner, "practice", [False] * 5)
    review = owner.post("/quiz/review/")["Location"]
    intruder = Client()
    intruder.force_login(get_user_model().objects.create_user("eve", password="another one"))
    first = practice.questions.get(order=1)
    for path in [
        f"/quiz/attempts/{attempt.pk}/",
        f"/quiz/attempts/{attempt.pk}/results/",
        f"/quiz/attempts/{attempt.pk}/questions/{first.pk}/",
        review,
    ]:
        assert intruder.get(path).status_code == 404, path
    assert answer(intruder, attempt, first, pick(first, correct=True).pk).status_code == 404
