import socket
from collections.abc import Iterator

import pytest
from django.test import override_settings

from tests.conftest import cache_settings
from tests.servers import address_of_a_stopped_server

pytestmark = pytest.mark.django_db


def test_healthz_is_200_when_everything_answers(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok", "memcached": "ok"}


def test_healthz_is_503_and_says_which_server_is_down(client, redis_server) -> None:
    down = address_of_a_stopped_server()
    with override_settings(**cache_settings(f"redis://{redis_server.address}/0", [down])):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "redis": "ok",
        "memcached": f"Memcached at {down} refused the connection: is memcached running?",
    }


def test_healthz_reports_redis_down_plainly(client, memcached_server) -> None:
    down = address_of_a_stopped_server()
    with override_settings(**cache_settings(f"redis://{down}/0", [memcached_server.address])):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["redis"] == f"Redis at {down} refused the connection: is redis-server running?"
    assert body["memcached"] == "ok"


def test_healthz_only_answers_get(client) -> None:
    assert client.post("/healthz").status_code == 405


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A port that accepts connections (the kernel's backlog) but never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"127.0.0.1:{listener.getsockname()[1]}"


def test_healthz_gives_up_on_a_server_that_never_answers(client, silent_server, redis_server):
    with override_settings(**cache_settings(f"redis://{redis_server.address}/0", [silent_server])):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["memcached"] == (
        f"Memcached at {silent_server} did not answer within 0.5 s."
    )


def test_healthz_gives_up_on_a_redis_that_never_answers(client, silent_server, memcached_server):
    with override_settings(
        **cache_settings(f"redis://{silent_server}/0", [memcached_server.address])
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"] == f"Redis at {silent_server} did not answer within 0.5 s."
