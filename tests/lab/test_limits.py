"""The lab's site-wide cap on experiments running at once and its per-address limit, held in
the real Redis the suite runs (threads hold the slots, as concurrent workers would)."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

import pytest
from django.test import Client, override_settings

from lab.limits import experiment_capacity, experiment_slots
from lab.models import Result
from ops.limits import Semaphore, SemaphoreFull

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def held_by_threads(count: int, enter: Callable[[], object]) -> Iterator[None]:
    """`count` threads each enter `enter()` and hold it until the block ends."""
    inside, leave = threading.Barrier(count + 1, timeout=10), threading.Event()

    def hold() -> None:
        with enter():
            inside.wait()
            leave.wait(10)

    threads = [threading.Thread(target=hold) for _ in range(count)]
    for thread in threads:
        thread.start()
    inside.wait()
    try:
        yield
    finally:
        leave.set()
        for thread in threads:
            thread.join(10)


def test_a_semaphore_admits_as_many_holders_as_it_has_slots_and_no_more() -> None:
    slots = Semaphore("test-three", slots=3, hold_ms=10_000)
    with held_by_threads(3, slots.held):
        assert slots.holders() == 3
        with pytest.raises(SemaphoreFull) as full:
            slots.acquire()
        assert 0 < full.value.retry_after_ms <= 10_000
    assert slots.holders() == 0
    with slots.held():
        assert slots.holders() == 1


def test_threads_racing_for_the_slots_never_take_more_than_there_are() -> None:
    slots = Semaphore("test-race", slots=2, hold_ms=10_000)
    start, taken = threading.Barrier(12, timeout=10), []

    def race() -> None:
        start.wait()
        with suppress(SemaphoreFull):
            taken.append(slots.acquire())

    threads = [threading.Thread(target=race) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(taken) == 2
    assert slots.holders() == 2


def test_a_slot_whose_holder_never_released_it_expires_by_itself() -> None:
    slots = Semaphore("test-expiry", slots=1, hold_ms=300)
    slots.acquire()  # a worker killed mid-run never releases
    with pytest.raises(SemaphoreFull):
        slots.acquire()
    time.sleep(0.5)
    assert slots.acquire()


@override_settings(LAB_EXPERIMENTS_AT_ONCE=2)
def test_a_full_lab_refuses_an_experiment_with_429_and_retry_after(shop) -> None:
    with held_by_threads(2, lambda: experiment_capacity("10.0.0.9")):
        response = Client().post("/lab/experiments/cold-start", headers={"HX-Request": "true"})
        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 5
        assert "as many as it runs at once" in response.content.decode()
    assert not Result.objects.exists()
    assert Client().post("/lab/experiments/cold-start").status_code == 302
    assert experiment_slots().holders() == 0


@override_settings(LAB_EXPERIMENTS_PER_MINUTE_PER_ADDRESS=2)
def test_one_address_may_start_only_so_many_experiments_a_minute_whatever_its_cookies(shop):
    for _ in range(2):
        assert Client().post("/lab/experiments/cold-start").status_code == 302
    refused = Client().post("/lab/experiments/cold-start")
    assert refused.status_code == 429
    assert "per address per minute" in refused.content.decode()
    assert 1 <= int(refused["Retry-After"]) <= 60
    other_address = Client(REMOTE_ADDR="10.0.0.2").post("/lab/experiments/cold-start")
    assert other_address.status_code == 302
