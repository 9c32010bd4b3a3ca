"""Where the four real backends disagree on a line, each difference is flagged and, for the
ones in fixtures/sandbox.json, explained: every explanation is checked on its own example."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from sandbox.differences import UNEXPLAINED, Explainer, Seen, groups_of
from sandbox.models import Explanation
from tests.sandbox.helpers import run

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "sandbox.json"
ROWS = [row["fields"] for row in json.loads(FIXTURE.read_text())]
NO_EXPLANATION_YET = UNEXPLAINED.split("(")[0]

# Django's documented low-level cache API, with the edges learners reach for.
DOCUMENTED_API = [
    "cache.set('my_key', 'hello, world!', 30)",
    "cache.set('my_key', 'hello, world!', 30)\ncache.get('my_key')",
    "cache.get('missing')",
    "cache.get('missing', 'default')",
    "cache.set('k', None)\ncache.get('k', 'sentinel')",
    "cache.add('add_key', 'Initial value')",
    "cache.add('add_key', 'Initial value')\ncache.add('add_key', 'New value')",
    "cache.get_or_set('my_new_key', 'my new value', 100)",
    "cache.set('a', 1)\ncache.get_or_set('a', 2)",
    "cache.set_many({'a': 1, 'b': 2, 'c': 3})",
    "cache.set_many({'a': 1, 'b': 2, 'c': 3})\ncache.get_many(['a', 'b', 'c'])",
    "cache.set_many({})",
    "cache.get_many([])",
    "cache.set('a', 1)\ncache.delete('a')",
    "cache.delete('a')",
    "cache.set('a', 1)\ncache.delete_many(['a', 'b', 'c'])",
    "cache.delete_many([])",
    "cache.set('a', 1)\ncache.clear()",
    "cache.set('a', 1)\ncache.touch('a', 10)",
    "cache.touch('missing', 10)",
    "cache.set('a', 1)\ncache.touch('a', None)",
    "cache.set('a', 1)\ncache.touch('a', 0)",
    "cache.set('num', 1)\ncache.incr('num')",
    "cache.set('num', 1)\ncache.incr('num', 10)",
    "cache.set('num', 2)\ncache.decr('num', 5)",
    "cache.set('num', 1)\ncache.incr('num', -3)",
    "cache.set('num', 0)\ncache.decr('num')",
    "cache.set('num', -5)\ncache.decr('num')",
    "cache.incr('missing')",
    "cache.set('f', 1.5)\ncache.incr('f')",
    "cache.set('b', True)\ncache.incr('b')",
    "cache.set('s', 'abc')\ncache.decr('s')",
    f"cache.set('big', {2**63 - 1})\ncache.incr('big')",
    "cache.set('a', 1)\ncache.has_key('a')",
    "cache.set('my_key', 'v2', version=2)\ncache.get('my_key')",
    "cache.set('my_key', 'v2', version=2)\ncache.get('my_key', version=2)",
    "cache.set('a', 1)\ncache.incr('a', version=2)",
    "cache.set('a', 1, timeout=0)",
    "cache.set('a', 1, timeout=0)\ncache.get('a')",
    "cache.set('a', 1, timeout=-1)",
    "cache.set('a', 1, timeout=None)",
    "cache.add('a', 2, timeout=0)",
    "cache.set_many({'a': 1}, timeout=0)",
    "cache.set('my key', 1)",
    "cache.get('my key')",
    "cache.set('tab\\tkey', 1)",
    f"cache.set('{'é' * 200}', 1)",
    f"cache.set('{'x' * 250}', 1)",
    "cache.set('ключ', 'значение')\ncache.get('ключ')",
    "cache.set('t', (1, 2))\ncache.get('t')",
    "cache.set('a', False)\ncache.get('a')",
]


@pytest.fixture
def explanations(db) -> None:
    """The explanations: in the test database for the session (tests/conftest.py)."""


def last_line(code: str) -> tuple[str, str, list[Seen]]:
    line = run(code).lines[-1]
    seen = [Seen.of(name, outcome) for name, outcome in line.outcomes.items()]
    return line.call.method, line.call.source, seen


def explained(code: str) -> list[dict]:
    method, source, seen = last_line(code)
    return Explainer().differences(method, source, seen)


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{r['methods'] or 'any'}:{r['backends']}" for r in ROWS]
)
def test_each_explanation_shows_on_its_example_on_the_real_backends(explanations, row):
    found = explained(row["example"])

    expected = {"backends": sorted(row["backends"].replace(" ", "").split(","))}
    matching = [
        {"backends": sorted(entry["backends"])}
        for entry in found
        if entry["explanation"] == row["explanation"] and entry["source"] == row["source"]
    ]
    assert matching == [expected]
    assert not any(entry["explanation"].startswith(NO_EXPLANATION_YET) for entry in found)


@pytest.mark.parametrize("code", DOCUMENTED_API)
def test_every_difference_in_the_documented_api_is_flagged_and_explained(explanations, code):
    method, source, seen = last_line(code)

    found = Explainer().differences(method, source, seen)

    disagree = len(groups_of(seen)) > 1
    assert bool(found) == disagree
    assert not any(entry["explanation"].startswith(NO_EXPLANATION_YET) for entry in found)


def test_a_difference_with_no_explanation_is_still_flagged(db):
    Explanation.objects.all().delete()

    found = explained("cache.set('n', 2)\ncache.decr('n', 5)")

    assert found == [
        {
            "backends": ["locmem", "redis", "django-redis", "memcached"],
            "explanation": UNEXPLAINED.format(
                summary="locmem, redis, django-redis returned -3; memcached returned 0"
            ),
            "source": "",
        }
    ]


def test_backends_that_agree_have_no_differences_and_read_no_explanations(
    explanations, django_assert_num_queries
):
    method, source, seen = last_line("cache.set('a', 1)\ncache.get('a')")

    with django_assert_num_queries(0):
        assert Explainer().differences(method, source, seen) == []


def test_the_explanations_are_read_once_per_run(explanations, django_assert_num_queries):
    explainer = Explainer()
    lines = [last_line("cache.set('a', 1)"), last_line("cache.delete_many(['a'])")]

    with django_assert_num_queries(1):
        found = [explainer.differences(*line) for line in lines]

    assert [entry["backends"] for entries in found for entry in entries] == [
        ["django-redis"],
        ["django-redis"],
    ]


def test_a_backend_whose_server_is_down_is_not_a_difference(db):
    seen = [
        Seen("locmem", value="None"),
        Seen("redis", value="None"),
        Seen("memcached", error="Memcached at 127.0.0.1:1 refused the connection.", down=True),
    ]

    assert Explainer().differences("set", "cache.set('a', 1)", seen) == []


def test_warnings_are_compared_by_category_not_by_the_key_they_name():
    seen = [
        Seen("locmem", "None", warnings=("CacheKeyWarning: ... 'sandbox-locmem:1:my key'",)),
        Seen("redis", "None", warnings=("CacheKeyWarning: ... 'sandbox-redis:1:my key'",)),
    ]

    assert len(groups_of(seen)) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("pattern", "returned ("), ("backends", "redis, mongodb"), ("methods", "incr, explode")],
)
def test_an_explanation_an_instructor_mistypes_is_refused_with_the_field_named(field, value):
    row = Explanation(**{**ROWS[0], field: value})

    with pytest.raises(ValidationError) as refused:
        row.full_clean()

    assert list(refused.value.message_dict) == [field]
