"""The site's own cache servers as they describe themselves (/lab/figures/cache-servers/)."""

import pytest
import redis
from django.test import override_settings
from pymemcache.client.base import Client

from lab.server_stats import memcached_stats, redis_stats, site_servers
from tests.servers import address_of_a_stopped_server

HTMX = {"HX-Request": "true"}


def test_redis_counts_a_hit_and_a_miss_and_reports_its_limit_and_policy(redis_server) -> None:
    url = f"redis://{redis_server.address}/0"
    client = redis.Redis.from_url(url)
    client.set("stats:there", 1)
    before = redis_stats(url)
    client.get("stats:there")
    client.get("stats:absent")
    after = redis_stats(url)
    client.close()
    assert (after.hits - before.hits, after.misses - before.misses) == (1, 1)
    assert after.limit_bytes == 64 * 1024 * 1024 and after.policy == "allkeys-lru"
    assert after.items >= 1 and after.hit_ratio is not None and not after.error


def test_memcached_counts_a_hit_and_a_miss_and_lists_the_slab_classes_in_use(memcached_server):
    client = Client(memcached_server.address)
    client.set("stats:there", "x" * 1000)
    before = memcached_stats(memcached_server.address)
    client.get("stats:there")
    client.get("stats:absent")
    after = memcached_stats(memcached_server.address)
    client.close()
    assert (after.hits - before.hits, after.misses - before.misses) == (1, 1)
    assert after.limit_bytes == 64 * 1024 * 1024
    assert after.policy == "evicts least recently used"
    assert any(slab["chunk_size"] > 1000 for slab in after.slab_classes)


def test_a_server_that_is_down_is_named_in_plain_words() -> None:
    down = address_of_a_stopped_server()
    with override_settings(REDIS_URL=f"redis://{down}/0", MEMCACHED_SERVERS=[down]):
        servers = site_servers()
    assert [server.error for server in servers] == [
        f"Redis at {down} refused the connection: is redis-server running?",
        f"Memcached at {down} refused the connection: is memcached running?",
    ]


@pytest.mark.django_db
def test_the_fragment_and_the_lab_page_show_the_servers_now(client, redis_server) -> None:
    html = client.get("/lab/figures/cache-servers/", headers=HTMX).content.decode()
    assert html.lstrip().startswith(
        '<aside class="notice lab-figures" id="lab-figures-cache-servers"'
    )
    assert f"<small>{redis_server.address}</small>" in html and "allkeys-lru" in html
    page = client.get("/lab/figures/cache-servers/").content.decode()
    assert "<main" in page and "Live, from the servers themselves" in page
    lab = client.get("/lab/").content.decode()
    assert 'hx-get="/lab/figures/cache-servers/"' in lab
