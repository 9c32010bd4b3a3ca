"""Redis is a cache, not the truth: a Redis that stops answering (paused, as in a network
partition) never undoes a log-out, costs a request one short timeout rather than one per
cache read, and is logged, at most once a minute."""

import logging
import time

import pytest
from django.core.management import call_command
from django.test import Client

from cachelab.cache_config import SERVER_TIMEOUT
from quiz.content import QUIZ_CONTENT
from quiz.models import Question, Quiz
from sitecache import counters, guard
from tests.sitecache.conftest import paused
from tests.sitecache.test_generations import CACHE

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery 42"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_user("ada", "ada@example.com", PASSWORD)


def signed_in_as(session_cookie: str) -> str:
    """The account corner as a browser holding only this session cookie sees it."""
    client = Client()
    client.cookies["sessionid"] = session_cookie
    return client.get("/accounts/corner/", headers=HTMX).content.decode()


def test_a_log_out_while_redis_does_not_answer_stays_logged_out(own_redis, ada) -> None:
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).status_code
        == 302
    )
    cookie = client.cookies["sessionid"].value
    assert "Signed in as <strong>ada</strong>" in signed_in_as(cookie)
    with paused(own_redis):
        assert client.post("/accounts/logout/").status_code == 302
    assert "Signed in as" not in signed_in_as(cookie)  # Redis answers again: still logged out
    assert "Log in" in signed_in_as(cookie)


def test_a_password_change_while_redis_does_not_answer_signs_the_other_browsers_out(
    own_redis, ada
) -> None:
    laptop, phone = Client(), Client()
    for browser in (laptop, phone):
        browser.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    form = {
        "old_password": PASSWORD,
        "new_password1": "a new one 9876",
        "new_password2": "a new one 9876",
    }
    with paused(own_redis):
        assert laptop.post("/accounts/password_change/", form).status_code == 302
    assert "Signed in as" not in signed_in_as(phone.cookies["sessionid"].value)
    assert "Signed in as <strong>ada</strong>" in signed_in_as(laptop.cookies["sessionid"].value)


def outcomes(name: str) -> dict[str, int]:
    return counters.counts().get(("default", name), dict.fromkeys(counters.OUTCOMES, 0)).copy()


def test_a_hung_redis_costs_one_timeout_then_is_skipped_for_a_second(own_redis) -> None:
    before = outcomes("test-things")
    with paused(own_redis):
        started = time.monotonic()
        for part in ("1", "2", "3"):
            assert CACHE.get_or_build(lambda p=part: f"from the database {p}", part=part) == (
                f"from the database {part}"
            )
        elapsed = time.monotonic() - started
    after = outcomes("test-things")
    assert after["error"] - before["error"] == 1  # the first read waited for the timeout
    assert after["skipped"] - before["skipped"] == 2  # the others did not ask
    assert elapsed < 2.5 * SERVER_TIMEOUT  # one timeout, with room for a busy machine


def test_a_quiz_step_reading_several_quizzes_waits_for_one_timeout_only(
    own_redis, client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for fixture in ("fixtures/lessons.json", "fixtures/quiz.json"):
            call_command("loaddata", fixture, verbosity=0)
    response = client.post("/quiz/lessons/redis/")  # "Test yourself": questions of several quizzes
    assert response.status_code == 302
    step = response["Location"]
    picked = client.get(step).context["progress"].questions
    quizzes = len({question.quiz_id for question in picked})
    assert quizzes > 1 and Quiz.objects.count() >= quizzes
    before = outcomes(QUIZ_CONTENT.name)
    with paused(own_redis):
        assert client.get(step).status_code == 200
    after = outcomes(QUIZ_CONTENT.name)
    assert after["error"] - before["error"] == 1
    assert after["skipped"] - before["skipped"] == quizzes - 1
    assert Question.objects.filter(pk__in=[q.pk for q in picked]).count() == len(picked)


def test_failures_are_logged_at_most_once_a_minute_per_alias(
    own_redis, monkeypatch, caplog
) -> None:
    monkeypatch.setattr(guard, "SKIP_SECONDS", 0)  # try Redis on every read
    caplog.set_level(logging.WARNING, logger="sitecache.guard")
    own_redis.stop()
    before = outcomes("test-things")
    for _ in range(3):
        assert CACHE.get_or_build(lambda: "from the database") == "from the database"
    assert outcomes("test-things")["error"] - before["error"] == 3
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 1
    assert "Cache alias 'default' failed while reading the 'test-things' cache" in messages[0]


def test_after_its_second_a_skipped_alias_is_tried_again(own_redis, monkeypatch) -> None:
    monkeypatch.setattr(guard, "SKIP_SECONDS", 0.2)
    own_redis.stop()
    CACHE.get_or_build(lambda: "from the database")
    assert not guard.available("default")
    own_redis.start()
    time.sleep(0.3)
    assert guard.available("default")
    before = outcomes("test-things")
    CACHE.get_or_build(lambda: "from the database")
    after = outcomes("test-things")
    assert after["error"] == before["error"] and after["skipped"] == before["skipped"]


def test_a_failure_repeated_within_a_minute_is_logged_once_until_reset() -> None:
    assert guard.first_this_minute("bump:quiz-content")
    assert not guard.first_this_minute("bump:quiz-content")
    assert guard.first_this_minute("bump:explanations")  # each cache has its own minute
    guard.reset()
    assert guard.first_this_minute("bump:quiz-content")
