"""Challenge test helpers: the content, and a learner's predictions sent to the JSON API."""

from typing import Any

import pytest
from django.test import Client

from challenges.models import Challenge, Question
from challenges.questions import options
from tests.accounts.conftest import ada  # noqa: F401 (a fixture: the learner Ada's account)


@pytest.fixture
def challenges(db) -> list[Challenge]:
    """The challenges, in the test database for the session (tests/conftest.py)."""
    return list(Challenge.objects.prefetch_related("questions"))


def challenge(slug: str) -> Challenge:
    return Challenge.objects.get(slug=slug)


def first_answers(found: Challenge) -> dict[str, dict[str, Any]]:
    """A prediction for every (question, backend): the first option, or 1."""
    return {
        question.name: {name: first_answer(question) for name in question.backend_names()}
        for question in found.questions.all()
    }


def first_answer(question: Question) -> Any:
    offered = options(question)
    return offered[0].value if offered else 1


def form_fields(found: Challenge) -> dict[str, str]:
    """first_answers as the challenge page's form posts them (q1-redis: "1", ...)."""
    return {
        f"{name}-{backend}": str(value)
        for name, by_backend in first_answers(found).items()
        for backend, value in by_backend.items()
    }


def check(client: Client, slug: str, predictions: Any, **extra: Any):
    return client.post(
        f"/challenges/{slug}/check",
        {"predictions": predictions},
        content_type="application/json",
        **extra,
    )


def graded(response) -> dict[tuple[str, str], dict]:
    """(question, backend) -> the graded item."""
    return {(one["question"], one["backend"]): one for one in response.json()["graded"]}


def actuals(response) -> dict[str, dict[str, Any]]:
    """What the backends did, in the shape of predictions: predicting it scores full marks."""
    shaped: dict[str, dict[str, Any]] = {}
    for one in response.json()["graded"]:
        shaped.setdefault(one["question"], {})[one["backend"]] = one["actual"]
    return shaped
