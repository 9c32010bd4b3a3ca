"""No view shows or changes another account's work: it is a 404, as if it did not exist."""

import re

import pytest
from django.test import Client

from quiz.models import Answer, HintUse, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada_attempt(ada, course) -> tuple[Client, int, int]:
    """Ada, signed in, with a practice attempt she answered the first question of."""
    client = Client()
    client.force_login(ada)
    response = client.post("/quiz/practice/start/")
    pk = int(re.search(r"/quiz/attempts/(\d+)/", response["Location"]).group(1))
    question = Question.objects.get(quiz__slug="practice", order=1)
    choice = question.choices.first()
    client.post(f"/quiz/attempts/{pk}/questions/{question.pk}/answer/", {"choice": choice.pk})
    return client, pk, question.pk


def attempt_urls(pk: int, question_id: int) -> dict[str, str]:
    return {
        "step": f"/quiz/attempts/{pk}/",
        "results": f"/quiz/attempts/{pk}/results/",
        "feedback": f"/quiz/attempts/{pk}/questions/{question_id}/",
    }


def test_ada_sees_her_own_attempt(ada_attempt) -> None:
    client, pk, question_id = ada_attempt

    for url in attempt_urls(pk, question_id).values():
        # the results of an unfinished attempt send her back to its next question
        assert client.get(url).status_code in (200, 302), url
    assert client.get(f"/quiz/attempts/{pk}/results/")["Location"].startswith(
        f"/quiz/attempts/{pk}/"
    )


@pytest.mark.parametrize("who", ["another account", "an anonymous visitor"])
def test_another_learner_gets_404_for_adas_attempt(ada_attempt, bob, who: str) -> None:
    _, pk, question_id = ada_attempt
    other = Client()
    if who == "another account":
        other.force_login(bob)
    next_question = Question.objects.get(quiz__slug="practice", order=2)
    choice = next_question.choices.first()

    for url in attempt_urls(pk, question_id).values():
        assert other.get(url).status_code == 404, url
    answer = f"/quiz/attempts/{pk}/questions/{next_question.pk}/answer/"
    hint = f"/quiz/attempts/{pk}/questions/{next_question.pk}/hint/"
    assert other.post(answer, {"choice": choice.pk}).status_code == 404
    assert other.post(hint).status_code == 404
    assert Answer.objects.filter(attempt_id=pk).count() == 1
    assert not HintUse.objects.filter(attempt_id=pk).exists()
