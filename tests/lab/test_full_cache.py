"""The full-cache experiment: a small memcached and a small Redis of its own, filled past their
memory limit through Django's backends."""

from html import unescape

import pytest

from lab.experiments import one_at_a_time
from lab.full_cache import BUCKETS, full_cache
from lab.models import Result

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def overfilled() -> dict[str, dict]:
    return {row["target"]: row for row in full_cache(2000)["rows"]}


def test_memcached_evicts_the_least_recently_used_and_keeps_the_newest(overfilled):
    memcached = overfilled["memcached"]
    assert memcached["refused"] == 0
    assert 0 < memcached["kept"] < memcached["written"]
    assert memcached["evictions"] == memcached["written"] - memcached["kept"]
    assert memcached["first_kept"] >= memcached["written"] // 2  # the oldest half is gone
    assert memcached["survival"][-1] >= 0.9
    assert memcached["chunk_size"] > 10_000 and memcached["chunks_per_page"] > 1


def test_redis_under_allkeys_lru_evicts_by_sampling_so_some_old_keys_survive(overfilled):
    lru = overfilled["redis-lru"]
    assert lru["policy"] == "allkeys-lru" and lru["refused"] == 0
    assert 0 < lru["kept"] < lru["written"] and lru["evictions"] > 0
    assert lru["survival"][-1] >= 0.5  # most of the newest stay
    assert any(share > 0 for share in lru["survival"][: BUCKETS // 2])  # approximate LRU


def test_redis_under_noeviction_refuses_writes_and_keeps_the_oldest(overfilled):
    full = overfilled["redis-noeviction"]
    assert full["policy"] == "noeviction" and full["evictions"] == 0
    assert full["refused"] > 0 and full["refusal"].startswith("OutOfMemoryError")
    assert full["kept"] + full["refused"] == full["written"]
    assert full["first_kept"] == 0 and full["survival"][0] == 1 and full["survival"][-1] == 0


def test_values_that_fit_are_all_kept(db) -> None:
    rows = full_cache(100)["rows"]
    assert {(row["kept"], row["refused"], row["evictions"]) for row in rows} == {(100, 0, 0)}


def test_a_run_is_saved_with_its_strip_chart(client, db) -> None:
    response = client.post("/lab/experiments/full-cache", {"values": 300})
    assert response.status_code == 302
    assert Result.objects.get(kind="full-cache").figures["values"] == 300
    html = client.get("/lab/").content.decode()
    assert 'class="cell-kept"' in html and "Which values are still there" in html


@pytest.mark.parametrize("values", [99, 4001, "many"])
def test_the_fill_is_bounded(client, db, values) -> None:
    response = client.post("/lab/experiments/full-cache", {"values": values})
    assert response.status_code == 400


def test_one_run_with_servers_of_its_own_at_a_time_on_the_whole_site(client, db) -> None:
    with one_at_a_time("site:own-servers"):  # another learner's failover run, say
        response = client.post("/lab/experiments/full-cache", {"values": 100})
    assert response.status_code == 409
    html = unescape(response.content.decode())
    assert "Another learner's experiment is using the lab's spare servers" in html
