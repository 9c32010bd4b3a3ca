"""A run sends the learner's calls and its bookkeeping only; the inspection commands (Redis
TYPE, PTTL, STRLEN, GETRANGE, Memcached's meta get) and the Memcached read-back are sent when
the learner opens a cell's details. Counted on the live servers: Redis's INFO commandstats,
memcached's `stats`."""

import re
from urllib.parse import urlencode

import pytest
import redis
from pymemcache.client.base import Client as MemcacheClient

from sandbox.catalogue import NAMES

pytestmark = pytest.mark.django_db

INSPECTION = ("type", "pttl", "strlen", "getrange")
SET = "cache.set('greeting', 'hello', timeout=300)"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def redis_commands(redis_server):
    """calls() per Redis command since the test started (INFO commandstats)."""
    client = redis.Redis.from_url(f"redis://{redis_server.address}/0")
    client.config_resetstat()

    def calls() -> dict[str, int]:
        stats = client.info("commandstats")
        return {name.removeprefix("cmdstat_"): row["calls"] for name, row in stats.items()}

    yield calls
    client.close()


@pytest.fixture
def memcached_gets(memcached_server):
    """gets() counts get commands (plain and meta) memcached served since the test started."""
    host, port = memcached_server.address.rsplit(":", 1)
    client = MemcacheClient((host, int(port)))
    before = int(client.stats()[b"cmd_get"])
    yield lambda: int(client.stats()[b"cmd_get"]) - before
    client.close()


def page_run(client, code: str = SET) -> str:
    form = {"code": code, "backends": list(NAMES), "server": "A"}
    response = client.post("/sandbox/run", form, headers=HTMX)
    assert response.status_code == 200
    return response.content.decode()


def details(client, backend: str, code: str = SET, **headers):
    query = urlencode({"backend": backend, "server": "A", "call": code})
    return client.get(f"/sandbox/details?{query}", headers=headers)


def test_a_run_sends_no_inspection_and_no_read_back(client, redis_commands, memcached_gets):
    html = page_run(client)
    sent = redis_commands()
    assert sent.get("set", 0) >= 2  # the learner's set on each Redis column (and the site's)
    assert not {name for name in INSPECTION if sent.get(name)}
    assert memcached_gets() == 0  # no read-back, no mg
    assert "inspection:" not in html and "read-back:" not in html


def test_opening_a_redis_cells_details_sends_the_inspection_and_shows_it(
    client, redis_commands
) -> None:
    page_run(client)
    before = redis_commands()
    response = details(client, "redis", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Redis string, TTL" in html and "stored as a pickle" in html
    for command in ("TYPE", "PTTL", "STRLEN", "GETRANGE"):
        assert re.search(rf"inspection: {command} sandbox-redis:1:\w+:greeting", html)
    sent = redis_commands()
    assert all(sent[name] - before.get(name, 0) == 1 for name in INSPECTION)
    assert "<html" not in html  # the fragment htmx swaps into the open cell


def test_opening_a_memcached_cells_details_reads_the_value_back(client, memcached_gets) -> None:
    page_run(client)
    html = details(client, "memcached").content.decode()
    assert "read the keys back to check it worked: it did" in html
    assert "read-back: get sandbox-memcached:1:" in html
    assert "inspection: mg sandbox-memcached:1:" in html
    assert "TTL 300 s" in html or "TTL 299 s" in html
    assert memcached_gets() == 2  # the read-back get and the meta get


def test_details_without_javascript_are_a_page_of_their_own(client) -> None:
    page_run(client)
    response = details(client, "locmem")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert "What the server holds now" in html
    assert "bytes pickled in process" in html
    assert "Nothing went over the network" in html


def test_each_cell_links_to_its_details_with_and_without_javascript(client) -> None:
    html = page_run(client)
    link = "/sandbox/details?backend=django-redis&amp;server=A&amp;call=" + (
        "cache.set%28%27greeting%27%2C%20%27hello%27%2C%20timeout%3D300%29"
    )
    assert f'hx-get="{link}" hx-trigger="toggle once"' in html
    assert f'<a href="{link}">What the server holds now</a>' in html


def test_details_of_a_key_changed_since_the_run_say_what_is_there_now(client) -> None:
    page_run(client)
    page_run(client, "cache.delete('greeting')")
    html = details(client, "memcached").content.decode()
    assert "does not hold what set() wrote" in html
    assert "not on the server" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"backend": "mongo", "call": SET}, "Unknown backend"),
        ({"backend": "redis", "call": "import os"}, "Line 1"),
        ({"backend": "redis", "call": f"{SET}\n{SET}"}, "one call"),
        ({"backend": "redis", "server": "C", "call": SET}, "Unknown app server"),
    ],
)
def test_bad_details_requests_are_refused_with_a_message(client, query, message) -> None:
    page_run(client)
    response = client.get(f"/sandbox/details?{urlencode(query)}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_learner_who_ran_nothing_is_told_so(client) -> None:
    response = details(client, "redis")
    assert response.status_code == 404
    assert "You have not run anything yet" in response.content.decode()
