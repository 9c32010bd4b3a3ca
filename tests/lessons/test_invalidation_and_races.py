"""Keeping cached data correct, first half: invalidation on writes, the read-then-set race and
the generation that avoids it. Django's signals and transactions are checked as Django 5.2
runs them; the lesson's own code runs against the live servers, with a real committed write
from another thread."""

import threading
import uuid
from collections.abc import Callable
from contextlib import suppress

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.connection import ConnectionProxy

from lab.models import Price
from sandbox.catalogue import backend_named
from tests.lessons.lesson_code import code_blocks
from tests.sandbox.helpers import run

SLUG = "keeping-data-correct"
OLD, NEW = 1999, 2499
STEP_SECONDS = 10


def lesson_namespace(heading: str, backend: str, **names) -> dict:
    """The section's first Python block, run with `cache` as the backend's alias, per thread
    (as django.core.cache.cache is)."""
    namespace: dict = dict(names)
    exec(code_blocks(SLUG, heading)[0], namespace)
    namespace["cache"] = ConnectionProxy(caches, backend_named(backend).alias)
    return namespace


def test_update_and_the_bulk_writes_send_no_post_save_but_a_queryset_delete_sends_post_delete(
    db,
) -> None:
    saved, deleted = [], []

    def on_save(sender, instance, **kwargs):
        saved.append(instance.label)

    def on_delete(sender, instance, **kwargs):
        deleted.append(instance.label)

    post_save.connect(on_save, sender=Price)
    post_delete.connect(on_delete, sender=Price)
    try:
        tea = Price.objects.create(label="tea", cents=100)
        assert saved == ["tea"]
        Price.objects.filter(pk=tea.pk).update(cents=200)
        Price.objects.bulk_create([Price(label="coffee", cents=300)])
        tea.cents = 400
        Price.objects.bulk_update([tea], ["cents"])
        assert saved == ["tea"]  # none of the three sent post_save
        Price.objects.filter(label__in=["tea", "coffee"]).delete()
        assert sorted(deleted) == ["coffee", "tea"]
    finally:
        post_save.disconnect(on_save, sender=Price)
        post_delete.disconnect(on_delete, sender=Price)


def test_on_commit_runs_at_once_in_autocommit_after_a_commit_and_never_after_a_rollback(
    transactional_db,
) -> None:
    ran: list[str] = []
    transaction.on_commit(lambda: ran.append("autocommit"))
    assert ran == ["autocommit"]
    with transaction.atomic():
        transaction.on_commit(lambda: ran.append("committed"))
        assert ran == ["autocommit"]
    assert ran == ["autocommit", "committed"]
    with suppress(RuntimeError), transaction.atomic():
        transaction.on_commit(lambda: ran.append("rolled back"))
        raise RuntimeError
    assert ran == ["autocommit", "committed"]


def test_the_lessons_receiver_deletes_the_right_key_and_reading_pk_at_commit_would_not(
    transactional_db, backend: str
) -> None:
    namespace = lesson_namespace("With signals", backend, Product=Price)
    cache = caches[backend_named(backend).alias]
    price = Price.objects.create(label="tea", cents=OLD)
    pk = price.pk
    cache.set(f"product:{pk}", "the cached page", 300)
    seen_at_commit = []
    try:
        with transaction.atomic():
            price.delete()
            transaction.on_commit(lambda: seen_at_commit.append(price.pk))
    finally:
        post_save.disconnect(namespace["forget_product"], sender=Price)
        post_delete.disconnect(namespace["forget_product"], sender=Price)
    assert seen_at_commit == [None]  # a lambda reading instance.pk would delete product:None
    assert cache.get(f"product:{pk}") is None  # the receiver built the key before on_commit


def test_the_race_replayed_in_the_sandbox_leaves_the_old_price_on_every_backend(db) -> None:
    example = code_blocks(SLUG, "The read-then-set race", "python run")[0]
    result = run(example)
    last = result.lines[-1]
    assert last.call.source == 'cache.get("price:42")'
    assert {outcome.value for outcome in last.outcomes.values()} == {"19.99"}


def price_of(pk: int) -> int:
    return Price.objects.values_list("cents", flat=True).get(pk=pk)


def race(read: Callable[[Callable[[], int]], int], invalidate: Callable[[], None], pk: int) -> int:
    """A reader reads through `read(build)`, and its build, having read the price, waits for
    the writer to commit; the writer updates the price in a transaction and calls `invalidate`
    inside it. Returns what the next read serves."""
    read_done, committed = threading.Event(), threading.Event()

    def slow_build() -> int:
        cents = price_of(pk)
        read_done.set()
        assert committed.wait(STEP_SECONDS)
        return cents

    def reader() -> None:
        try:
            read(slow_build)
        finally:
            connection.close()

    def writer() -> None:
        try:
            assert read_done.wait(STEP_SECONDS)
            with transaction.atomic():
                Price.objects.filter(pk=pk).update(cents=NEW)
                invalidate()
        finally:
            committed.set()
            connection.close()

    threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(2 * STEP_SECONDS)
    return read(lambda: price_of(pk))


@pytest.mark.django_db(transaction=True)
def test_delete_on_commit_leaves_the_old_price_after_the_race(backend: str) -> None:
    cache = ConnectionProxy(caches, backend_named(backend).alias)
    key = f"price:{uuid.uuid4().hex}"

    def cache_aside(build: Callable[[], int]) -> int:
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, 300)
        return value

    price = Price.objects.create(label="tea", cents=OLD)
    served = race(cache_aside, lambda: transaction.on_commit(lambda: cache.delete(key)), price.pk)
    assert (served, price_of(price.pk)) == (OLD, NEW)


@pytest.mark.django_db(transaction=True)
def test_the_lessons_generation_code_serves_the_committed_price_after_the_race(
    backend: str,
) -> None:
    namespace = lesson_namespace("A generation, moved on at commit", backend)
    name = f"price:{uuid.uuid4().hex}"
    price = Price.objects.create(label="tea", cents=OLD)
    served = race(
        lambda build: namespace["cached"](name, "price", build),
        lambda: namespace["changed"](name),
        price.pk,
    )
    assert served == NEW == price_of(price.pk)


def test_a_missing_generation_is_started_with_a_new_token(db, backend: str) -> None:
    namespace = lesson_namespace("A generation, moved on at commit", backend)
    cache = caches[backend_named(backend).alias]
    first = namespace["generation"]("catalogue")
    assert first == namespace["generation"]("catalogue") == cache.get("catalogue:generation")
    cache.delete("catalogue:generation")  # evicted, or the server restarted empty
    assert namespace["generation"]("catalogue") not in (None, first)


def test_the_generation_example_finds_nothing_under_the_new_generation_and_the_old_page(
    db,
) -> None:
    example = code_blocks(SLUG, "A generation, moved on at commit", "python run")[0]
    result = run(example)
    *_, under_new, under_old = result.lines
    assert {outcome.value for outcome in under_new.outcomes.values()} == {"None"}
    assert {outcome.value for outcome in under_old.outcomes.values()} == {"['tea', 'coffee']"}


def test_the_lessons_serve_stale_code_rebuilds_once_while_the_others_get_the_old_copy(
    backend: str,
) -> None:
    started, release = threading.Event(), threading.Event()
    builds: list[str] = []

    def build_best_sellers() -> str:
        builds.append("built")
        started.set()
        assert release.wait(STEP_SECONDS)
        return "new list"

    namespace = lesson_namespace(
        "Serving stale while one worker rebuilds", backend, build_best_sellers=build_best_sellers
    )
    cache = caches[backend_named(backend).alias]
    cache.set("best-sellers", {"value": "old list", "fresh_until": 0}, 3600)  # stale
    rebuilt: list[str] = []
    rebuilder = threading.Thread(target=lambda: rebuilt.append(namespace["best_sellers"]()))
    rebuilder.start()
    assert started.wait(STEP_SECONDS)
    assert namespace["best_sellers"]() == "old list"  # at once, while the rebuild runs
    release.set()
    rebuilder.join(STEP_SECONDS)
    assert rebuilt == ["new list"] and builds == ["built"]
    assert namespace["best_sellers"]() == "new list"
    assert builds == ["built"]
