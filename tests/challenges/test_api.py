"""POST /challenges/<slug>/check: bad input gets a clear 4xx before anything runs; the
sandbox API's limits and rate limit apply."""

import pytest
from django.test import Client, override_settings

from tests.challenges.conftest import challenge, check, first_answers, form_fields

pytestmark = pytest.mark.django_db

SLUG = "incr-round-trips"


def test_a_full_set_of_predictions_is_graded_with_score_and_out_of(challenges, client) -> None:
    response = check(client, SLUG, first_answers(challenge(SLUG)))
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"graded", "score", "out_of"}
    assert body["out_of"] == len(body["graded"]) == 8
    assert 0 <= body["score"] <= body["out_of"]
    for item in body["graded"]:
        assert set(item) >= {"question", "backend", "predicted", "actual", "right", "why"}
    assert "Server-Timing" in response


@pytest.mark.parametrize(
    ("predictions", "message"),
    [
        ("all of them", '"predictions" must be an object'),
        ({"q9": {}}, "No question 'q9' here: the questions are q1, q2."),
        ({"q1": {"redis": 2}}, "Predict every answer before running. Missing: q1 (LocMem"),
        (
            {"q1": {"nosql": 1}},
            "q1 asks about locmem, redis, django-redis, memcached, not 'nosql'.",
        ),
        ({"q1": {"redis": -1}}, "q1: -1 is not a whole number from 0 to 50."),
        ({"q1": {"redis": "two"}}, "q1: 'two' is not a whole number from 0 to 50."),
        ({"q1": {"redis": True}}, "q1: True is not a whole number from 0 to 50."),
        (
            {"q2": {"redis": "43"}},
            "q2: '43' is not one of '42', '41', 'None', 'raises ValueError'.",
        ),
        ({"q1": "2"}, "q1: give an object of backend: prediction."),
    ],
)
def test_bad_predictions_are_a_400_that_says_what_is_wrong(
    challenges, client, predictions, message: str
) -> None:
    response = check(client, SLUG, predictions)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_a_body_that_is_not_json_or_has_no_predictions_is_a_400(challenges, client) -> None:
    url = f"/challenges/{SLUG}/check"
    not_json = client.post(url, "q1=2", content_type="application/x-www-form-urlencoded")
    assert not_json.status_code == 400 and "application/json" in not_json.json()["error"]
    broken = client.post(url, "{", content_type="application/json")
    assert broken.status_code == 400 and "not valid JSON" in broken.json()["error"]
    empty = client.post(url, {}, content_type="application/json")
    assert empty.status_code == 400 and '"predictions"' in empty.json()["error"]


def test_a_body_over_the_sandbox_apis_size_limit_is_a_413(challenges, client) -> None:
    huge = {"q1": {"redis": "x" * 70_000}}
    assert check(client, SLUG, huge).status_code == 413


def test_an_unknown_challenge_is_a_404_and_get_is_a_405(challenges, client) -> None:
    assert check(client, "no-such-challenge", {}).status_code == 404
    assert client.get(f"/challenges/{SLUG}/check").status_code == 405


@override_settings(SANDBOX_CALLS_PER_MINUTE=3)
def test_the_sandbox_rate_limit_applies_and_bad_input_is_not_counted(challenges) -> None:
    client = Client()
    for _ in range(3):
        assert check(client, SLUG, {"q1": {}}).status_code == 400  # nothing ran
    assert check(client, SLUG, first_answers(challenge(SLUG))).status_code == 200  # 2 calls
    limited = check(client, SLUG, first_answers(challenge(SLUG)))
    assert limited.status_code == 429
    assert "the sandbox allows 3 per learner per minute" in limited.json()["error"]


def test_the_form_without_javascript_keeps_the_predictions_and_says_what_is_missing(
    challenges, client
) -> None:
    response = client.post(f"/challenges/{SLUG}/run", {"q1-redis": "2"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Predict every answer before running" in page
    assert (
        'name="q1-redis" type="number" inputmode="numeric" min="0" max="50" step="1" value="2"'
        in page
    )


def test_the_form_grades_a_full_set_of_predictions_on_the_page(challenges, client) -> None:
    fields = form_fields(challenge(SLUG))
    response = client.post(f"/challenges/{SLUG}/run", fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your predictions against the live backends" in page
    assert "EXISTS sandbox-redis:" in page  # the wire of the wrong redis prediction
    htmx = client.post(f"/challenges/{SLUG}/run", fields, headers={"HX-Request": "true"})
    assert "<html" not in htmx.content.decode() and "✗ Wrong" in htmx.content.decode()
