"""A lesson page answers a repeat visit with 304 (conditional GET) whoever asks: it holds
nothing of one learner. The log-out form and its CSRF token, which changes at every login,
come from the account corner, which is never kept, so a log-out always works."""

import re

import pytest
from django.test import Client

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def token_in(html: str) -> str:
    form = html[html.index('action="/accounts/logout/"') :]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def log_in_through_the_form(client: Client) -> None:
    """As a browser does: the login page's token, then the form (login replaces the token)."""
    client.get("/accounts/login/")
    data = {"username": "ada", "password": PASSWORD}
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    assert client.post("/accounts/login/", data).status_code == 302


def test_after_logging_in_again_the_account_corner_gives_a_working_log_out_token(
    ada, course
) -> None:
    client = Client(enforce_csrf_checks=True)
    log_in_through_the_form(client)
    first = client.get("/accounts/corner/", headers=HTMX)
    client.post("/accounts/logout/", {"csrfmiddlewaretoken": token_in(first.content.decode())})
    log_in_through_the_form(client)

    again = client.get("/accounts/corner/", headers=HTMX)

    assert "no-cache" in again["Cache-Control"] and not again.has_header("ETag")
    token = token_in(again.content.decode())
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302


def test_a_repeat_visit_is_a_304_across_log_in_and_log_out(ada, course) -> None:
    client = Client(enforce_csrf_checks=True)
    first = client.get("/lessons/redis/")
    log_in_through_the_form(client)

    again = client.get("/lessons/redis/", headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
