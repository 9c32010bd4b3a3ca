"""A real set and get through each sandbox alias, against the suite's own servers."""

import pytest
from django.core.cache import caches

from sandbox.catalogue import backend_named


def cache_of(backend: str):
    return caches[backend_named(backend).alias]


def test_a_value_set_through_a_backend_comes_back(backend: str) -> None:
    cache = cache_of(backend)
    cache.set("greeting", {"text": "hello", "n": 1}, timeout=60)
    assert cache.get("greeting") == {"text": "hello", "n": 1}


def test_a_missing_key_reads_as_the_default(backend: str) -> None:
    assert cache_of(backend).get("never-set", default="fallback") == "fallback"


def test_delete_removes_the_key_and_says_so(backend: str) -> None:
    cache = cache_of(backend)
    cache.set("short-lived", 1)
    assert cache.delete("short-lived") is True
    assert cache.get("short-lived") is None


@pytest.mark.parametrize(
    ("first", "second"),
    [("sandbox-redis", "sandbox-django-redis"), ("default", "sandbox-redis")],
)
def test_aliases_on_the_same_server_do_not_see_each_others_keys(first: str, second: str) -> None:
    caches[first].set("shared-name", "from-first")
    assert caches[second].get("shared-name") is None
