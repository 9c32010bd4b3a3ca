"""A real set and get through each sandbox alias, against the suite's own servers."""

import pytest
from django.core.cache import caches


def test_a_value_set_through_a_backend_comes_back(sandbox_cache) -> None:
    sandbox_cache.set("greeting", {"text": "hello", "n": 1}, timeout=60)
    assert sandbox_cache.get("greeting") == {"text": "hello", "n": 1}


def test_a_missing_key_reads_as_the_default(sandbox_cache) -> None:
    assert sandbox_cache.get("never-set", default="fallback") == "fallback"


def test_delete_removes_the_key_and_says_so(sandbox_cache) -> None:
    sandbox_cache.set("short-lived", 1)
    assert sandbox_cache.delete("short-lived") is True
    assert sandbox_cache.get("short-lived") is None


@pytest.mark.parametrize(
    ("first", "second"),
    [("sandbox-redis", "sandbox-django-redis"), ("default", "sandbox-redis")],
)
def test_aliases_on_the_same_server_do_not_see_each_others_keys(first: str, second: str) -> None:
    caches[first].set("shared-name", "from-first")
    assert caches[second].get("shared-name") is None
