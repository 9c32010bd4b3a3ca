"""Every explanation that says what a backend sends, stores or returns is checked on the live
servers, through the sandbox's own runner: a wrong explanation fails here."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from sandbox.checks import check, glob_matches
from sandbox.models import Explanation, names

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "sandbox.json"
ROWS = json.loads(FIXTURE.read_text())


@pytest.fixture
def explanations(db) -> list[Explanation]:
    """The explanations: in the test database for the session (tests/conftest.py)."""
    return list(Explanation.objects.all())


def row_id(row: dict) -> str:
    return f"{row['pk']}:{row['fields']['methods'] or 'any'}:{row['fields']['backends']}"


def test_every_row_is_checked_or_marked_as_stating_no_backend_behaviour(explanations) -> None:
    assert explanations
    for row in explanations:
        row.full_clean()  # a row that states behaviour without a well-formed check is refused
        if row.states_behaviour:
            assert row.check_code and row.check_facts, row


def test_each_check_speaks_about_every_backend_its_row_sets_apart(explanations) -> None:
    for row in explanations:
        if row.states_behaviour:
            assert set(names(row.backends)) <= set(row.check_facts), row


@pytest.mark.parametrize("row", ROWS, ids=[row_id(row) for row in ROWS])
def test_each_explanation_holds_on_the_live_servers(row: dict) -> None:
    fields = row["fields"]
    if not fields["states_behaviour"]:
        pytest.skip("states no backend behaviour")

    assert check(fields["check_code"], fields["check_facts"]) == []


def test_a_check_fails_when_the_explanation_states_a_wrong_fact() -> None:
    # Issue 18's first correction: the overflow fallback was said to store a pickle.
    code = "cache.set('big', 9223372036854775807)\ncache.incr('big')"
    facts = {"django-redis": {"stored": {"big": "pickle"}}, "redis": {"wire": ["DECRBY big 1"]}}

    assert check(code, facts) == [
        "django-redis stored: the explanation says {'big': 'pickle'}, it is {'big': 'digits'}",
        "redis wire: the explanation says ['DECRBY big 1'], it is ['EXISTS big', 'INCRBY big 1']",
    ]


def test_returned_values_raised_errors_and_warnings_are_compared_as_the_sandbox_shows_them():
    facts = {
        "memcached": {"returns": "None"},
        "locmem": {"warns": []},
        "django-redis": {"raises": "TypeError", "round_trips": 1},
    }

    found = check("cache.set('my key', 'v')", facts)

    assert [problem.split(":")[0] for problem in found] == [
        "memcached returns",
        "locmem warns",
        "django-redis raises",
    ]


def test_a_wire_fact_is_literal_but_for_its_stars() -> None:
    assert glob_matches("SET k <pickle* EX 300", "SET k <pickle, 20 bytes> EX 300")
    assert not glob_matches("SET k <pickle* EX 300", "SET k <pickle, 20 bytes> PX 300000")
    assert not glob_matches("GET k.", "GET kx")


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"mongodb": {"returns": "1"}}, "'mongodb' is not a backend"),
        ({"redis": {"returned": "1"}}, "'returned' is not a fact"),
        ({"redis": {"wire": "GET k"}}, "wire must be a list"),
        ({"redis": {"stored": {"k": "json"}}}, "stored is {key: kind}"),
        ({}, "Facts are"),
    ],
)
def test_a_malformed_check_is_refused_with_the_field_named(facts, message) -> None:
    row = Explanation(**{**ROWS[0]["fields"], "check_facts": facts})

    with pytest.raises(ValidationError) as refused:
        row.full_clean()

    assert list(refused.value.message_dict) == ["check_facts"]
    assert message in " ".join(refused.value.message_dict["check_facts"])


def test_a_row_marked_as_stating_no_behaviour_needs_no_check() -> None:
    fields = {**ROWS[0]["fields"], "check_code": "", "check_facts": {}}
    Explanation(**{**fields, "states_behaviour": False}).full_clean()
    with pytest.raises(ValidationError):
        Explanation(**{**fields, "states_behaviour": True}).full_clean()


def test_the_admin_edits_a_rows_check(admin_client, explanations) -> None:
    row = explanations[0]
    html = admin_client.get(f"/admin/sandbox/explanation/{row.pk}/change/").content.decode()
    for field in ("states_behaviour", "check_code", "check_facts"):
        assert f'name="{field}"' in html
