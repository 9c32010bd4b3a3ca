"""Each learner sees their own header: on a quiz step in the page, on a lesson page (the same
for everyone) in the account corner it loads."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_lesson_pages_account_corner_shows_each_learner_their_own_name(ada, bob, course) -> None:
    htmx = {"HX-Request": "true"}
    for_ada = signed_in(ada).get("/accounts/corner/", headers=htmx).content.decode()
    for_bob = signed_in(bob).get("/accounts/corner/", headers=htmx).content.decode()
    anonymous = Client().get("/accounts/corner/", headers=htmx)

    assert "Signed in as <strong>ada</strong>" in for_ada and "bob" not in for_ada
    assert "Signed in as <strong>bob</strong>" in for_bob and "ada" not in for_bob
    assert "Signed in as" not in anonymous.content.decode()
    assert "csrftoken" not in anonymous.cookies
    assert "Signed in as" not in signed_in(ada).get("/lessons/redis/").content.decode()


def test_a_quiz_step_shows_each_learner_their_own_name(ada, bob, course) -> None:
    pages = {}
    for user in (ada, bob):
        client = signed_in(user)
        step = client.post("/quiz/practice/start/")["Location"]
        assert re.fullmatch(r"/quiz/attempts/\d+/(questions/\d+/)?", step)
        pages[user.username] = client.get(step).content.decode()

    assert "Signed in as <strong>ada</strong>" in pages["ada"] and "bob" not in pages["ada"]
    assert "Signed in as <strong>bob</strong>" in pages["bob"] and "ada" not in pages["bob"]
