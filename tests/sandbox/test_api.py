"""POST /sandbox/api/run: JSON in, JSON out, same parsing, limits and isolation as the page."""

import re

import pytest
from django.test import Client

from sandbox.catalogue import NAMES

pytestmark = pytest.mark.django_db

API = "/sandbox/api/run"


def post(client, body, **kwargs):
    return client.post(API, body, content_type="application/json", **kwargs)


def test_the_api_returns_value_latency_key_and_error_per_line_and_backend(client) -> None:
    response = post(
        client,
        {
            "code": "cache.set('greeting', 'hello')\ncache.get('greeting')",
            "backends": list(NAMES),
            "server": "A",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["server"] == "A" and body["backends"] == list(NAMES)
    assert [line["code"] for line in body["lines"]] == [
        "cache.set('greeting', 'hello')",
        "cache.get('greeting')",
    ]
    for name in NAMES:
        got = body["lines"][1]["results"][name]
        assert got["value"] == "'hello'" and got["error"] is None
        assert got["latency_us"] > 0
        assert got["keys"][0]["key"] == "greeting"
        assert re.fullmatch(
            f"sandbox-{name}:1:[0-9a-f]{{24}}:greeting", got["keys"][0]["stored_key"]
        )


def test_backends_and_server_default_to_all_four_on_server_a(client) -> None:
    body = post(client, {"code": "cache.get('k')"}).json()
    assert (body["backends"], body["server"]) == (list(NAMES), "A")


def test_inspection_is_off_unless_asked_for(client) -> None:
    plain = post(client, {"code": "cache.set('k', 1)", "backends": ["redis"]}).json()
    inspected = post(
        client, {"code": "cache.set('k', 1)", "backends": ["redis"], "inspect": True}
    ).json()
    assert plain["lines"][0]["results"]["redis"]["keys"][0]["details"] == ""
    assert "raw integer" in inspected["lines"][0]["results"]["redis"]["keys"][0]["details"]


def test_the_session_cookie_identifies_the_learner(client) -> None:
    post(client, {"code": "cache.set('mine', 'secret')"})
    assert (
        post(client, {"code": "cache.get('mine')"}).json()["lines"][0]["results"]["redis"]["value"]
        == "'secret'"
    )
    stranger = Client()
    got = post(stranger, {"code": "cache.get('mine')"}).json()["lines"][0]["results"]
    assert {got[name]["value"] for name in NAMES} == {"None"}


def test_a_namespace_in_the_request_is_ignored(client) -> None:
    post(client, {"code": "cache.set('mine', 'secret')"})
    stranger = Client()
    body = post(
        stranger, {"code": "cache.get('mine')", "namespace": client.session.session_key}
    ).json()
    assert body["lines"][0]["results"]["locmem"]["value"] == "None"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"code": "cache.get('k')", "backends": ["couchbase"]}, "Unknown backend 'couchbase'"),
        ({"code": "cache.get('k')", "backends": "redis"}, '"backends" must be a list'),
        ({"code": "cache.get('k')", "backends": []}, "Choose at least one backend"),
        ({"code": "cache.get('k')", "server": "C"}, "Unknown app server 'C'"),
        ({"code": 42}, '"code" must be a string'),
        ({}, '"code" must be a string'),
        (["cache.get('k')"], "must be a JSON object"),
        ({"code": "import os"}, "Line 1, column 1: `import os` is not a cache call"),
    ],
)
def test_bad_requests_get_a_400_with_a_clear_message(client, body, message: str) -> None:
    response = post(client, body)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_a_parse_error_names_line_and_column_in_the_json(client) -> None:
    body = post(client, {"code": "cache.get('k')\ncache.set('k', x)"}).json()
    assert (body["line"], body["column"]) == (2, 16)


def test_invalid_json_is_a_400(client) -> None:
    response = client.post(API, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"].startswith("The body is not valid JSON")


def test_a_form_post_is_refused_with_a_400_naming_the_content_type(client) -> None:
    response = client.post(API, {"code": "cache.get('k')"})
    assert response.status_code == 400
    assert "Content-Type: application/json" in response.json()["error"]


def test_get_is_not_allowed(client) -> None:
    assert client.get(API).status_code == 405


def test_the_api_needs_no_csrf_token_but_still_uses_the_session(client) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, {"code": "cache.set('k', 1)"}).status_code == 200
    assert strict.cookies["sessionid"].value


def test_a_first_call_that_stores_nothing_still_gets_a_session_cookie(client) -> None:
    post(client, {"code": "cache.get('k')"})
    key = client.cookies["sessionid"].value
    post(client, {"code": "cache.get('k')"})
    assert client.cookies["sessionid"].value == key


def test_a_made_up_session_cookie_gets_a_fresh_session_not_the_name_it_chose(client) -> None:
    client.cookies["sessionid"] = "chosen-by-the-client"
    post(client, {"code": "cache.get('k')"})
    assert client.cookies["sessionid"].value not in ("", "chosen-by-the-client")


def test_a_returning_learners_run_reads_only_the_session_from_the_database(
    client, django_assert_num_queries
) -> None:
    """The explanations come from the site's cache once warm (sitecache.generations);
    sessions live in the database alone, so reading one is the run's only query."""
    body = {"code": "cache.set('k', 1)\ncache.get('k')"}
    post(client, body)  # creates the session and registers the key
    post(client, body)  # the explanations' generation exists now: they are stored
    with django_assert_num_queries(1):
        response = post(client, body)
    assert response.json()["lines"][1]["results"]["memcached"]["value"] == "1"
