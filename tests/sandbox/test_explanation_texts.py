"""What the explanations in fixtures/sandbox.json and the sandbox's notes say (issue 18's
corrections 1, 2 and 11 to 14): each test reads the text a learner gets, so undoing a
correction fails here, and the live facts behind it are checked in test_explanation_checks."""

import contextlib
import json
from pathlib import Path

import pytest
from django.core.cache.backends.memcached import PyMemcacheCache
from pymemcache.exceptions import MemcacheError

from cachelab.cache_config import pymemcache_options
from tests.sandbox.helpers import last, run

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "sandbox.json"
ROWS = [row["fields"] for row in json.loads(FIXTURE.read_text())]


def explanation(pattern: str = "", methods: str | None = None) -> str:
    [row] = [
        row
        for row in ROWS
        if (methods is None or row["methods"] == methods) and pattern in row["pattern"]
    ]
    return " ".join(row["explanation"].split())


def every_explanation() -> str:
    return " ".join(" ".join(row["explanation"].split()) for row in ROWS)


def test_the_overflow_fallback_is_said_to_store_plain_digits_not_a_pickle() -> None:
    text = explanation("overflow")
    assert "storing a pickle" not in text
    assert "SETs the sum as plain digits" in text


def test_no_explanation_says_a_redis_backend_sends_decrby() -> None:
    assert "DECRBY" not in every_explanation()
    assert "decr() is incr(-delta)" in explanation(methods="decr")
    assert "INCRBY key -5" in explanation(methods="decr")


def test_no_explanation_says_what_set_returns_is_documented() -> None:
    assert "documented to return nothing" not in every_explanation()
    assert "Django does not document what set() returns" in explanation("returned True")


def test_the_set_many_explanation_quotes_what_the_docs_say() -> None:
    text = explanation(methods="set_many")
    assert "Django documents that set_many() returns the list" not in text
    assert '"On supported backends (memcached), set_many() returns a list of keys' in text
    assert "breaks no documented contract" in text


def test_a_key_warning_is_not_said_to_keep_code_portable() -> None:
    text = explanation("contains characters")
    assert "so code stays portable" not in every_explanation()
    assert '"encourages (but does not force)"' in text


def test_the_sandbox_says_set_many_on_memcached_reports_the_keys_it_failed_to_store() -> None:
    notes = last(run("cache.set_many({'a': 1})", backends=["memcached"]), "memcached").notes
    assert notes == [
        "PyMemcacheCache.set_many() returns the keys it failed to store; the sandbox read the "
        "keys back to check it worked: it did."
    ]
    notes = last(run("cache.set('a', 1)", backends=["memcached"]), "memcached").notes
    assert notes[0].startswith("PyMemcacheCache.set() does not report failures;")


@pytest.mark.django_db
def test_pymemcache_set_many_returns_the_keys_a_stopped_server_did_not_store(own_server):
    up, down = own_server("memcached"), own_server("memcached")
    cache = PyMemcacheCache([up.address, down.address], {"OPTIONS": pymemcache_options()})
    data = {f"key-{n}": n for n in range(20)}
    down.stop()
    with contextlib.suppress(OSError, MemcacheError):
        cache.set_many(data)  # the first call to meet the stopped server raises

    failed = cache.set_many(data)

    assert failed and set(failed) < set(data)
    assert cache.get_many(failed) == {}
    stored = [key for key in data if key not in failed]
    assert cache.get_many(stored) == {key: data[key] for key in stored}
    # set() and delete_many() say nothing about the same failure
    assert cache.set(failed[0], 1) is None
    assert cache.delete_many(failed) is None
    cache.close()
