import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from quiz.models import Attempt, Choice
from quiz.statistics import first_attempt_counts, option_shares, share_correct
from tests.quiz.conftest import answer, pick, start, take

pytestmark = pytest.mark.django_db


def test_counts_are_per_option_and_only_from_first_attempts(practice) -> None:
    first = practice.questions.get(order=1)
    right, wrong = pick(first, correct=True), pick(first, correct=False)
    learner_a, learner_b = Client(), Client()
    take(learner_a, "practice", [True] * 5)
    take(learner_b, "practice", [False] * 5)
    take(learner_b, "practice", [True] * 5)  # a retake: not counted
    assert first_attempt_counts(first.pk) == {right.pk: 1, wrong.pk: 1}


def test_shares_are_percentages_of_first_attempts(practice) -> None:
    first = practice.questions.get(order=1)
    ids = list(first.choices.values_list("pk", flat=True))
    right, wrong = pick(first, correct=True).pk, pick(first, correct=False).pk
    shares = option_shares({right: 3, wrong: 1}, ids)
    assert (shares[right].count, shares[right].percent) == (3, 75)
    assert (shares[wrong].count, shares[wrong].percent) == (1, 25)
    assert share_correct({right: 3, wrong: 1}, {right}).percent == 75
    assert all(share.percent == 0 for share in option_shares({}, ids).values())


def test_counts_follow_every_answer_and_every_delete_at_once(client, practice) -> None:
    first = practice.questions.get(order=1)
    assert first_attempt_counts(first.pk) == {}
    attempt = start(client, "practice")
    answer(client, attempt, first, pick(first, correct=True).pk)
    assert first_attempt_counts(first.pk) == {pick(first, correct=True).pk: 1}
    Attempt.objects.filter(pk=attempt.pk).delete()  # as the admin's delete does, cascading
    assert first_attempt_counts(first.pk) == {}


def test_feedback_shows_how_first_attempts_answered(client, practice) -> None:
    first = practice.questions.get(order=1)
    for _ in range(3):
        take(Client(), "practice", [False] * 5)
    attempt = start(client, "practice")
    answer(client, attempt, first, pick(first, correct=True).pk)
    html = client.get(f"/quiz/attempts/{attempt.pk}/questions/{first.pk}/").content.decode()
    assert "25% of learners chose this on their first attempt (1)" in html
    assert "75% of learners chose this on their first attempt (3)" in html
    assert html.count("0% of learners chose this on their first attempt (0)") == 2


def test_the_admin_shows_per_question_statistics(client, practice) -> None:
    first = practice.questions.get(order=1)
    take(Client(), "practice", [True] * 5)
    take(Client(), "practice", [False] * 5)
    take(Client(), "practice", [False] * 5)
    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    listing = client.get("/admin/quiz/question/?quiz__id__exact=1").content.decode()
    assert '<td class="field-first_attempts">3</td>' in listing
    assert '<td class="field-first_correct">33%</td>' in listing
    page = client.get(f"/admin/quiz/question/{first.pk}/change/").content.decode()
    assert "33% correct of 3 first attempts." in page
    right = Choice.objects.get(question=first, is_correct=True)
    assert f"<li>{right.text} [correct]: 1 (33%)</li>" in page


def test_the_admin_pages_for_quiz_content_and_attempts_open(client, practice) -> None:
    attempt = take(Client(), "practice", [True] * 5)
    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    for path in [
        "/admin/quiz/question/add/",
        f"/admin/quiz/quiz/{practice.pk}/change/",
        f"/admin/quiz/attempt/{attempt.pk}/change/",
        "/admin/quiz/attempt/",
    ]:
        assert client.get(path).status_code == 200, path


def test_the_attempt_admin_shows_no_visitor_id_or_session_key(client, practice) -> None:
    learner = Client()
    attempt = take(learner, "practice", [True] * 5)
    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    for path in [f"/admin/quiz/attempt/{attempt.pk}/change/", "/admin/quiz/attempt/"]:
        html = client.get(path).content.decode()
        assert attempt.visitor not in html
        assert learner.cookies["sessionid"].value not in html
