"""Every cap, enforced on the server, each with a clear message."""

import json

import pytest
from django.core.cache import caches
from django.test import override_settings

from sandbox.registry import MAX_KEYS_PER_BACKEND
from tests.clock import counts_down_from, seconds_after
from tests.sandbox.helpers import last, run

pytestmark = pytest.mark.django_db


def fifty_keys(prefix: str) -> str:
    return repr({f"{prefix}{index}": index for index in range(MAX_KEYS_PER_BACKEND)})


def test_a_learner_can_keep_fifty_keys_per_backend_and_not_one_more(backend: str) -> None:
    assert (
        last(run(f"cache.set_many({fifty_keys('k')})", backends=[backend]), backend).error is None
    )
    refused = last(run("cache.set('one-more', 1)", backends=[backend]), backend)
    assert refused.error.startswith(f"You have {MAX_KEYS_PER_BACKEND} keys on {backend}")
    assert "cache.clear() (it deletes only your keys)" in refused.error
    assert last(run("cache.get('one-more')", backends=[backend]), backend).value == "None"


def test_overwriting_a_key_you_already_have_is_allowed_at_the_cap(backend: str) -> None:
    run(f"cache.set_many({fifty_keys('k')})", backends=[backend])
    assert last(run("cache.set('k0', 'new')", backends=[backend]), backend).error is None


def test_deleted_keys_make_room_again(backend: str) -> None:
    run(f"cache.set_many({fifty_keys('k')})", backends=[backend])
    run("cache.delete('k0')", backends=[backend])
    assert last(run("cache.set('fresh', 1)", backends=[backend]), backend).error is None


def test_the_key_cap_is_per_learner(backend: str) -> None:
    run(f"cache.set_many({fifty_keys('k')})", learner="one", backends=[backend])
    other = last(run("cache.set('k', 1)", learner="two", backends=[backend]), backend)
    assert other.error is None


def test_timeout_none_is_capped_to_one_hour_and_the_result_says_so() -> None:
    result = run("cache.set('k', 1, timeout=None)", backends=["redis"])
    outcome = last(result, "redis")
    assert outcome.notes == ["timeout=None (never expire) was capped to 3600 s by the sandbox."]
    assert counts_down_from(3600, seconds_after("TTL", outcome.keys[0].details))


def test_a_timeout_over_one_hour_is_refused_with_a_400(client) -> None:
    response = client.post(
        "/sandbox/api/run",
        {"code": "cache.set('k', 1, timeout=86400)"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "caps timeouts at 3600 s (one hour)" in response.json()["error"]


def test_a_key_over_the_length_cap_is_refused_with_a_400(client) -> None:
    response = client.post(
        "/sandbox/api/run", {"code": f"cache.get('{'k' * 300}')"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "keys are capped at 250" in response.json()["error"]


def test_a_value_over_ten_kilobytes_is_refused_with_a_400(client) -> None:
    response = client.post(
        "/sandbox/api/run",
        {"code": f"cache.set('k', '{'v' * 12000}')"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "values are capped at 10,240 bytes" in response.json()["error"]


def test_a_request_body_over_64_kilobytes_is_a_413(client) -> None:
    body = json.dumps({"code": "#" * 70_000})
    response = client.post("/sandbox/api/run", body, content_type="application/json")
    assert response.status_code == 413
    assert "over 65,536 bytes" in response.json()["error"]


@override_settings(SANDBOX_CALLS_PER_MINUTE=3)
def test_calls_beyond_the_per_minute_limit_get_a_429(client) -> None:
    api = "/sandbox/api/run"
    two_calls = {"code": "cache.set('k', 1)\ncache.get('k')"}
    assert client.post(api, two_calls, content_type="application/json").status_code == 200
    refused = client.post(api, two_calls, content_type="application/json")
    assert refused.status_code == 429
    assert "the sandbox allows 3 per learner per minute" in refused.json()["error"]


@override_settings(SANDBOX_CALLS_PER_MINUTE=1)
def test_the_page_shows_the_rate_limit_message_with_a_429(client) -> None:
    form = {"code": "cache.get('k')", "backends": ["locmem"], "server": "A"}
    assert client.post("/sandbox/run", form).status_code == 200
    refused = client.post("/sandbox/run", form)
    assert refused.status_code == 429
    assert "per learner per minute" in refused.content.decode()


@override_settings(SANDBOX_CALLS_PER_MINUTE=1000, SANDBOX_CALLS_PER_MINUTE_PER_ADDRESS=2)
def test_dropping_the_session_cookie_does_not_escape_the_address_limit(client) -> None:
    api = "/sandbox/api/run"
    for _ in range(2):
        client.cookies.clear()
        assert (
            client.post(
                api, {"code": "cache.get('k')"}, content_type="application/json"
            ).status_code
            == 200
        )
    client.cookies.clear()
    refused = client.post(api, {"code": "cache.get('k')"}, content_type="application/json")
    assert refused.status_code == 429
    assert "per address per minute" in refused.json()["error"]


def test_the_rate_counters_expire_on_their_own(client) -> None:
    client.post("/sandbox/api/run", {"code": "cache.get('k')"}, content_type="application/json")
    redis = caches["default"].client.get_client()
    counters = redis.keys("*sandbox:rate:*")
    assert len(counters) == 2
    assert all(0 < redis.ttl(key) <= 120 for key in counters)
