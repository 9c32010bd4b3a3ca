"""Keeping cached data correct, second half: versions, what pickling stores, the async API and
testing with caches, checked against Django 5.2.19, django-redis 7.0 and the live servers."""

import asyncio
import inspect
import re
import warnings

import django
import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.memcached import PyLibMCCache, PyMemcacheCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_redis.cache import RedisCache as DjangoRedisCache
from pymemcache.client.base import Client as MemcacheClient

from lab.models import Price
from sandbox import wire
from sandbox.catalogue import backend_named
from tests.lessons.lesson_code import code_blocks, prose_of
from tests.sandbox.helpers import run

SLUG = "keeping-data-correct"
REMOTE = ("redis", "django-redis", "memcached")
BACKEND_CLASSES = (LocMemCache, RedisCache, DjangoRedisCache, PyMemcacheCache, PyLibMCCache,
                   DatabaseCache, FileBasedCache, DummyCache)  # fmt: skip


def cache_of(name: str):
    return caches[backend_named(name).alias]


def raw_client(name: str, settings):
    """A client of the backend's server that bypasses Django: bytes in, bytes out."""
    if name == "memcached":
        return MemcacheClient(settings.MEMCACHED_SERVERS[0])
    return redis.Redis.from_url(settings.REDIS_URL)


def remaining_seconds(name: str, key: str, settings) -> float:
    client = raw_client(name, settings)
    try:
        if name == "memcached":  # meta get: "HD t<seconds left>"
            answer = client.raw_command(f"mg {key} t".encode(), b"\r\n").decode()
            return float(re.search(r" t(-?\d+)", answer)[1])
        return client.pttl(key) / 1000
    finally:
        client.close()


def test_the_versions_example_keeps_two_separate_entries(db) -> None:
    result = run(code_blocks(SLUG, "Versions: `version=` and `incr_version()`", "python run")[0])
    other_version, last = result.lines[1], result.lines[-1]
    assert {outcome.value for outcome in other_version.outcomes.values()} == {"None"}
    assert {outcome.value for outcome in last.outcomes.values()} == {"'built with the old rules'"}


def test_incr_version_moves_the_entry_and_a_plain_get_misses_afterwards(backend: str) -> None:
    cache = cache_of(backend)
    cache.set("report", "data", 60)
    new_version = cache.incr_version("report")
    assert new_version == 2
    assert cache.get("report") is None
    assert cache.get("report", version=1) is None
    assert cache.get("report", version=new_version) == "data"
    with pytest.raises(ValueError):
        cache.incr_version("never-set")


@pytest.mark.parametrize(
    ("name", "commands"),
    [("redis", ["GET", "SET", "DEL"]), ("django-redis", ["GET", "EXISTS", "TTL", "SET", "DEL"])],
)
def test_incr_version_is_several_commands_on_the_redis_backends(name: str, commands) -> None:
    cache = cache_of(name)
    cache.set("report", "data", 60)
    with wire.capture() as capture:
        cache.incr_version("report")
    sent = [command.split()[0] for command in capture.wire().commands]
    assert [command for command in sent if command not in ("HELLO", "CLIENT", "SELECT")] == commands


@pytest.mark.parametrize(("name", "keeps_its_time"), [("redis", False), ("memcached", False),
                                                       ("django-redis", True)])  # fmt: skip
def test_incr_version_gives_the_default_timeout_on_djangos_backends_and_keeps_it_on_django_redis(
    name: str, keeps_its_time: bool, settings
) -> None:
    cache = cache_of(name)
    assert cache.default_timeout == 300
    cache.set("report", "data", 30)
    cache.incr_version("report")
    left = remaining_seconds(name, cache.make_key("report", version=2), settings)
    assert (20 < left <= 30) if keeps_its_time else (290 < left <= 300)


@pytest.mark.parametrize("name", REMOTE)
def test_integers_are_stored_as_digits_and_other_values_pickled(name: str, settings) -> None:
    cache = cache_of(name)
    cache.set("count", 5)
    cache.set("prices", {"tea": 1999})
    client = raw_client(name, settings)
    try:
        assert client.get(cache.make_key("count")) == b"5"
        assert client.get(cache.make_key("prices")).startswith(b"\x80")  # a pickle
    finally:
        client.close()


@pytest.mark.django_db
def test_caching_a_queryset_runs_its_query_at_once_and_stores_the_rows(backend: str) -> None:
    Price.objects.create(label="tea", cents=1999)
    cache = cache_of(backend)
    with CaptureQueriesContext(connection) as stored:
        cache.set("prices", Price.objects.all())
    assert len(stored) == 1
    Price.objects.update(cents=2499)
    with CaptureQueriesContext(connection) as read:
        assert [price.cents for price in cache.get("prices")] == [1999]
    assert len(read) == 0


def stored_bytes_replaced(name: str, key: str, old: bytes, new: bytes, settings) -> None:
    """Rewrite a stored pickle on the server, as another release would have written it."""
    client = raw_client(name, settings)
    try:
        data = client.get(key)
        assert old in data
        if name == "memcached":
            client.set(key, data.replace(old, new), flags=1)  # pymemcache's pickle flag
        else:
            client.set(key, data.replace(old, new))
    finally:
        client.close()


@pytest.mark.django_db
@pytest.mark.parametrize("name", REMOTE)
def test_a_model_instance_pickled_by_another_django_release_warns_when_read_back(
    name: str, settings
) -> None:
    cache = cache_of(name)
    cache.set("price", Price.objects.create(label="tea", cents=1999))
    here = django.__version__.encode()
    other = b"4.2.99"[: len(here)].ljust(len(here), b"9")
    assert other != here
    stored_bytes_replaced(name, cache.make_key("price"), here, other, settings)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        price = cache.get("price")
    assert price.cents == 1999
    assert any(
        issubclass(warning.category, RuntimeWarning) and "Django version" in str(warning.message)
        for warning in caught
    )


@pytest.mark.django_db
def test_an_instance_stored_without_a_field_loads_it_with_a_query_when_read(backend) -> None:
    price = Price.objects.create(label="tea", cents=1999)
    del price.__dict__["cents"]  # as if pickled before a migration added the field
    cache = cache_of(backend)
    cache.set("price", price)
    Price.objects.update(cents=2499)
    stored = cache.get("price")
    with CaptureQueriesContext(connection) as queries:
        assert stored.cents == 2499
    assert len(queries) == 1


def test_every_async_method_the_lesson_lists_is_bases_and_runs_the_sync_one_in_a_thread():
    listed = re.findall(r"`(a[a-z_]+)\(\)`", prose_of(SLUG, "The async API"))
    assert len(set(listed)) == 16
    for name in listed:
        assert inspect.iscoroutinefunction(getattr(BaseCache, name)), name
        for backend in BACKEND_CLASSES:
            assert getattr(backend, name) is getattr(BaseCache, name), (backend, name)
    assert "sync_to_async(self.get" in inspect.getsource(BaseCache.aget)
    assert "await self.aget(" in inspect.getsource(BaseCache.aget_many)
    assert "await self.aset(" in inspect.getsource(BaseCache.aset_many)
    assert "await self.adelete(" in inspect.getsource(BaseCache.adelete_many)


@pytest.mark.parametrize("name", REMOTE)
def test_aget_many_sends_one_lookup_per_key_where_get_many_sends_one(name: str) -> None:
    cache = cache_of(name)
    keys = ["a", "b", "c"]
    cache.set_many(dict.fromkeys(keys, 1))
    with wire.capture() as capture:
        cache.get_many(keys)
    at_once = capture.wire()
    with wire.capture() as capture:
        found = asyncio.run(cache.aget_many(keys))
    one_by_one = capture.wire()
    assert found == dict.fromkeys(keys, 1)
    assert at_once.round_trips == 1
    assert one_by_one.round_trips == len(keys)


@pytest.mark.parametrize("name", ["redis", "django-redis"])
def test_aincr_is_a_get_and_a_set_where_incr_is_one_atomic_command(name: str) -> None:
    cache = cache_of(name)
    cache.set("visits", 5)
    with wire.capture() as capture:
        assert asyncio.run(cache.aincr("visits")) == 6
    sent = [command.split()[0] for command in capture.wire().commands]
    assert [command for command in sent if command not in ("HELLO", "CLIENT", "SELECT")] == [
        "GET",
        "SET",
    ]
    assert "await self.aget(" in inspect.getsource(BaseCache.aincr)
    assert "await self.aset(" in inspect.getsource(BaseCache.aincr)


def test_override_settings_gives_cache_objects_built_from_the_new_setting() -> None:
    locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "LOCATION": "lesson-tests"}}  # fmt: skip
    with override_settings(CACHES=locmem):
        assert type(caches["default"]) is LocMemCache
    assert type(caches["default"]) is DjangoRedisCache


def test_two_locmem_caches_with_the_same_location_share_one_store() -> None:
    first, second = LocMemCache("lesson-tests", {}), LocMemCache("lesson-tests", {})
    try:
        first.set("left-over", "from an earlier test")
        assert second.get("left-over") == "from an earlier test"
    finally:
        first.clear()


def test_the_dummy_cache_misses_every_get() -> None:
    dummy = DummyCache("", {})
    dummy.set("price", 1999)
    assert dummy.get("price") is None and dummy.add("price", 1999) is True
