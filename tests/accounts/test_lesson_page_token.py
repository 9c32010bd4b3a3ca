"""A lesson page answers a repeat visit with 304 (conditional GET). For a signed-in learner
it carries the log-out form's CSRF token, which changes at every login: a page kept by the
browser from an earlier login must not come back as 304 with a token that no longer works."""

import re

import pytest
from django.test import Client

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def token_in(html: str) -> str:
    form = html[html.index('action="/accounts/logout/"') :]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def log_in_through_the_form(client: Client) -> None:
    """As a browser does: the login page's token, then the form (login replaces the token)."""
    client.get("/accounts/login/")
    data = {"username": "ada", "password": PASSWORD}
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    assert client.post("/accounts/login/", data).status_code == 302


def test_a_lesson_kept_from_an_earlier_login_is_sent_again_with_a_working_token(
    ada, course
) -> None:
    client = Client(enforce_csrf_checks=True)
    log_in_through_the_form(client)
    first = client.get("/lessons/redis/")
    assert first.status_code == 200 and first.has_header("ETag")
    client.post("/accounts/logout/", {"csrfmiddlewaretoken": token_in(first.content.decode())})
    log_in_through_the_form(client)

    again = client.get("/lessons/redis/", headers={"if-none-match": first["ETag"]})

    assert again.status_code == 200
    token = token_in(again.content.decode())
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302


def test_a_repeat_visit_in_the_same_login_is_a_304(ada, course) -> None:
    client = Client(enforce_csrf_checks=True)
    log_in_through_the_form(client)
    first = client.get("/lessons/redis/")

    again = client.get("/lessons/redis/", headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
