"""Running cache servers: Redis Cluster (a real two-primary cluster started for the test) and
the HTTP caching headers, checked as Django 5.2 sends them and as its page cache keys pages."""

import hashlib
import re
import time
from collections.abc import Iterator

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone, translation
from django.utils.cache import learn_cache_key
from django.views.decorators.cache import cache_control, cache_page
from django_redis.cache import RedisCache as DjangoRedisCache

from ops.services import free_port
from tests.lessons.lesson_code import code_blocks
from tests.waiting import wait_for

SLUG = "running-cache-servers"
CDN = "HTTP caches in front: CDNs"
SLOTS = 16384
HIGHEST_CLUSTER_PORT = 55535  # the cluster bus listens on the port + 10000


def cluster_port() -> int:
    port = free_port()
    while port > HIGHEST_CLUSTER_PORT:
        port = free_port()
    return port


@pytest.fixture
def two_primaries(plain_server) -> Iterator[list[redis.Redis]]:
    """A Redis Cluster of two primaries, each owning half of the hash slots."""
    nodes = []
    for _ in range(2):
        port = cluster_port()
        plain_server("redis", "--cluster-enabled", "yes",
                     "--cluster-config-file", f"nodes-{port}.conf", port=port)  # fmt: skip
        nodes.append(redis.Redis(port=port, decode_responses=True))
    first, second = nodes
    first.execute_command("CLUSTER ADDSLOTSRANGE", 0, SLOTS // 2 - 1)
    second.execute_command("CLUSTER ADDSLOTSRANGE", SLOTS // 2, SLOTS - 1)
    first.execute_command(
        "CLUSTER MEET", "127.0.0.1", second.connection_pool.connection_kwargs["port"]
    )
    assert wait_for(
        lambda: all(node.cluster("INFO")["cluster_state"] == "ok" for node in nodes), 10
    )
    yield nodes
    for node in nodes:
        node.close()


def owned_by_first(node: redis.Redis, key: str) -> bool:
    return node.execute_command("CLUSTER KEYSLOT", key) < SLOTS // 2


@pytest.mark.parametrize("backend", [RedisCache, DjangoRedisCache])
def test_neither_redis_backend_follows_a_clusters_moved_reply(two_primaries, backend) -> None:
    first = two_primaries[0]
    port = first.connection_pool.connection_kwargs["port"]
    cache = backend(f"redis://127.0.0.1:{port}/0", {})
    mine = next(k for k in map(str, range(100)) if owned_by_first(first, cache.make_key(k)))
    theirs = next(k for k in map(str, range(100)) if not owned_by_first(first, cache.make_key(k)))
    cache.set(mine, 1)
    assert cache.get(mine) == 1
    with pytest.raises(redis.exceptions.MovedError):
        cache.set(theirs, 1)


def test_django_redis_shards_on_the_client_and_has_no_cluster_client() -> None:
    import django_redis.client as clients

    assert hasattr(clients, "ShardClient")
    assert not [name for name in dir(clients) if "cluster" in name.lower()]


def test_cache_control_writes_the_cdn_directives_the_lesson_shows(rf: RequestFactory) -> None:
    decorator = code_blocks(SLUG, CDN)[0].splitlines()[3]
    assert decorator == (
        "@cache_control(public=True, max_age=60, s_maxage=600, stale_while_revalidate=30)"
    )
    view = cache_control(public=True, max_age=60, s_maxage=600, stale_while_revalidate=30)(
        lambda request: HttpResponse("catalogue")
    )
    directives = {part.strip() for part in view(rf.get("/")).headers["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=60", "s-maxage=600", "stale-while-revalidate=30"}


def test_a_page_served_from_djangos_cache_keeps_its_stored_headers_and_adds_its_age(rf) -> None:
    runs = []

    def page(request):
        runs.append(1)
        return HttpResponse("prices")

    view = cache_page(600, cache="sandbox-redis", key_prefix="lesson-age")(page)
    stored = view(rf.get("/prices/"))
    time.sleep(2.1)
    served = view(rf.get("/prices/"))
    assert len(runs) == 1  # the second response came from the cache
    assert served.headers["Cache-Control"] == stored.headers["Cache-Control"] == "max-age=600"
    assert served.headers["Expires"] == stored.headers["Expires"]
    assert "Age" not in stored.headers
    assert 2 <= int(served.headers["Age"]) <= 10  # seconds spent in the cache, to the second


def page_key(language: str, zone: str) -> str:
    request = RequestFactory().get("/prices/", headers={"host": "example.com"})
    with translation.override(language), timezone.override(zone):
        return learn_cache_key(request, HttpResponse(), 60, "", cache=caches["sandbox-redis"])


@override_settings(ALLOWED_HOSTS=["example.com"], USE_I18N=True, USE_TZ=True)
def test_the_page_cache_key_ends_with_the_language_and_the_time_zone() -> None:
    keys = [page_key("en-us", "UTC"), page_key("fr", "UTC"), page_key("en-us", "Europe/Paris")]
    url_hash = hashlib.md5(b"http://example.com/prices/").hexdigest()
    no_headers = hashlib.md5(b"").hexdigest()
    stem = f"views.decorators.cache.cache_page..GET.{url_hash}.{no_headers}"
    assert keys == [f"{stem}.en-us.UTC", f"{stem}.fr.UTC", f"{stem}.en-us.Europe/Paris"]
    example = code_blocks(SLUG, CDN, "python run")[0]
    assert re.findall(r'"(views\.decorators[^"]+)"', example) == keys
