"""DJANGO_TRUSTED_PROXY_COUNT: the client's address behind nginx, and no spoofing without it."""

import pytest
from django.http import HttpRequest
from django.test import Client, RequestFactory, override_settings

from ops.clients import client_address, client_ip

PROXY = "10.0.0.2"  # nginx, as the app server sees it


def request_from_proxy(forwarded_for: str | None):
    headers = {} if forwarded_for is None else {"X-Forwarded-For": forwarded_for}
    return RequestFactory().get("/", REMOTE_ADDR=PROXY, headers=headers)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_trusted_proxies_a_spoofed_header_is_ignored() -> None:
    assert client_address(request_from_proxy("203.0.113.9")) == PROXY


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended() -> None:
    assert client_address(request_from_proxy("198.51.100.7")) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_entries_the_client_wrote_itself_are_ignored() -> None:
    # The client sent "X-Forwarded-For: 203.0.113.9"; nginx appended the real address.
    assert client_address(request_from_proxy("203.0.113.9, 198.51.100.7")) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right() -> None:
    header = "203.0.113.9, 198.51.100.7, 10.0.0.1"
    assert client_address(request_from_proxy(header)) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_peer() -> None:
    assert client_address(request_from_proxy("198.51.100.7")) == PROXY
    assert client_address(request_from_proxy(None)) == PROXY


def api_call_from(client: Client, forwarded_for: str) -> int:
    client.cookies.clear()  # a new learner each time: only the address limit applies
    response = client.post(
        "/sandbox/api/run",
        {"code": "cache.get('k')"},
        content_type="application/json",
        headers={"X-Forwarded-For": forwarded_for},
    )
    return response.status_code


@pytest.mark.django_db
@override_settings(
    TRUSTED_PROXY_COUNT=1, SANDBOX_CALLS_PER_MINUTE=1000, SANDBOX_CALLS_PER_MINUTE_PER_ADDRESS=1
)
def test_behind_a_trusted_proxy_each_client_has_its_own_sandbox_address_limit(client) -> None:
    assert api_call_from(client, "198.51.100.1") == 200
    assert api_call_from(client, "198.51.100.2") == 200  # another learner, same proxy
    assert api_call_from(client, "198.51.100.1") == 429


@pytest.mark.django_db
@override_settings(
    TRUSTED_PROXY_COUNT=0, SANDBOX_CALLS_PER_MINUTE=1000, SANDBOX_CALLS_PER_MINUTE_PER_ADDRESS=1
)
def test_without_a_trusted_proxy_a_spoofed_header_does_not_escape_the_address_limit(
    client,
) -> None:
    assert api_call_from(client, "198.51.100.1") == 200
    assert api_call_from(client, "198.51.100.2") == 429


def test_the_login_throttle_gets_an_ip_address_or_none_never_a_placeholder() -> None:
    assert client_ip(request_from_proxy("203.0.113.9")) == PROXY
    assert client_ip(HttpRequest()) is None  # built in code, as the test client's login does
