"""The sandbox's Memcached connections stay open between requests, as its Redis pools do."""

import pytest

from sandbox.connections import cache_for

pytestmark = pytest.mark.django_db

MEMCACHED_ONLY = {"code": "cache.set('k', 'v')\ncache.get('k')", "backends": ["memcached"]}


def memcached_sockets() -> list:
    return [client.sock for client in cache_for("memcached", "A")._cache.clients.values()]


def test_the_memcached_connection_outlives_the_request(client) -> None:
    client.post("/sandbox/api/run", MEMCACHED_ONLY, content_type="application/json")
    first = memcached_sockets()
    response = client.post("/sandbox/api/run", MEMCACHED_ONLY, content_type="application/json")
    assert response.json()["lines"][1]["results"]["memcached"]["value"] == "'v'"
    assert first and all(sock is not None for sock in first)
    assert memcached_sockets() == first
