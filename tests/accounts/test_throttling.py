import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests.accounts.conftest import PASSWORD, log_in

pytestmark = pytest.mark.django_db


def fail(client, username: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        response = log_in(client, username, password="wrong password", address=address)
        assert response.status_code in (200, 429)


def test_a_wrong_password_says_so_without_saying_which_part_was_wrong(client, ada) -> None:
    response = log_in(client, "ada", password="wrong password")

    assert response.status_code == 200
    assert b"Please enter a correct username and password." in response.content


def test_an_account_is_locked_after_repeated_failures_from_any_address(client, ada) -> None:
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "ada", 1, address=f"10.0.1.{attempt}")

    response = log_in(client, "ada", address="10.0.2.1")

    assert response.status_code == 429
    assert b"log-ins failed for this account or" in response.content
    assert b"logging in is paused for 15 minutes" in response.content
    assert "_auth_user_id" not in client.session


def test_anyone_can_lock_an_account_out_and_axes_reset_username_lifts_it(client, ada) -> None:
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        fail(Client(), "ada", 1, address=f"10.0.5.{attempt}")  # a stranger knowing the name
    assert log_in(client, "ada", address="10.0.6.1").status_code == 429

    call_command("axes_reset_username", "ada", stdout=io.StringIO())

    assert log_in(client, "ada", address="10.0.6.1").status_code == 302


def test_an_address_is_locked_after_repeated_failures_on_any_account(client, ada, bob) -> None:
    fail(client, "nobody", settings.AXES_FAILURE_LIMIT - 1, address="10.0.3.3")
    fail(client, "bob", 1, address="10.0.3.3")

    from_there = log_in(client, "ada", address="10.0.3.3")
    from_elsewhere = log_in(client, "ada", address="10.0.4.4")

    assert from_there.status_code == 429
    assert from_elsewhere.status_code == 302


def test_failures_below_the_limit_do_not_stop_the_right_password(client, ada) -> None:
    fail(client, "ada", settings.AXES_FAILURE_LIMIT - 1)

    assert log_in(client, "ada").status_code == 302


def log_in_through_nginx(client, username: str, password: str, client_address: str):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.2",  # the proxy
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_behind_a_proxy_each_client_address_is_counted_apart(client, ada, bob, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in_through_nginx(client, "nobody", "wrong password", "198.51.100.7")

    locked = log_in_through_nginx(client, "ada", PASSWORD, "198.51.100.7")
    another_client = log_in_through_nginx(Client(), "bob", PASSWORD, "203.0.113.9")

    assert locked.status_code == 429
    assert another_client.status_code == 302
