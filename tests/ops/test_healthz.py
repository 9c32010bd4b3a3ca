"""/healthz says whether this app host can serve pages (the database); /healthz/ready reports
every part, in detail for staff only."""

import re
import socket
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from tests.conftest import cache_settings
from tests.servers import address_of_a_stopped_server

pytestmark = pytest.mark.django_db

ADDRESS = re.compile(r"\d+\.\d+\.\d+\.\d+|:\d{2,5}\b")


@pytest.fixture
def caches_down(redis_server) -> Iterator[tuple[str, str]]:
    """Redis and the one memcached both unreachable: (redis address, memcached address)."""
    redis_down, memcached_down = address_of_a_stopped_server(), address_of_a_stopped_server()
    with override_settings(**cache_settings(f"redis://{redis_down}/0", [memcached_down])):
        yield redis_down, memcached_down


@pytest.fixture
def staff_client(client):
    user = User.objects.create_user("operator", password="a long passphrase", is_staff=True)
    client.force_login(user)
    return client


def test_liveness_is_200_when_the_database_answers(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


def test_liveness_stays_200_with_redis_and_memcached_down(client, caches_down) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


def test_liveness_shows_no_address_or_error_text_when_the_database_is_down(
    client, database_down
) -> None:
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "down"}
    assert not ADDRESS.search(response.content.decode())


def test_readiness_is_200_when_every_part_answers(client, memcached_server) -> None:
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok", "memcached-1": "ok"}


def test_readiness_gives_anonymous_callers_one_word_per_part(client, caches_down) -> None:
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "down", "memcached-1": "down"}
    assert not ADDRESS.search(response.content.decode())


def test_readiness_tells_staff_what_failed_in_plain_words(staff_client, caches_down) -> None:
    redis_down, memcached_down = caches_down
    response = staff_client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "redis": f"Redis at {redis_down} refused the connection: is redis-server running?",
        "memcached-1": (
            f"Memcached at {memcached_down} refused the connection: is memcached running?"
        ),
    }


def test_readiness_reports_each_memcached_server(
    staff_client, redis_server, memcached_server
) -> None:
    down = address_of_a_stopped_server()
    redis_url = f"redis://{redis_server.address}/0"
    with override_settings(**cache_settings(redis_url, [memcached_server.address, down])):
        response = staff_client.get("/healthz/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["memcached-1"] == "ok"
    assert body["memcached-2"] == (
        f"Memcached at {down} refused the connection: is memcached running?"
    )


def test_health_checks_answer_head_and_refuse_post(client) -> None:
    for path in ("/healthz", "/healthz/ready"):
        assert client.head(path).status_code in (200, 503)
        assert client.post(path).status_code == 405


def test_health_checks_are_never_cached(client) -> None:
    for path in ("/healthz", "/healthz/ready"):
        assert "no-store" in client.get(path)["Cache-Control"]


@override_settings(SECURE_SSL_REDIRECT=True)
def test_health_checks_are_exempt_from_the_https_redirect(client) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz/ready").status_code in (200, 503)
    assert client.get("/lessons/").status_code == 301  # the redirect is on for pages


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A port that accepts connections (the kernel's backlog) but never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"127.0.0.1:{listener.getsockname()[1]}"


def test_readiness_gives_up_on_a_memcached_that_never_answers(
    staff_client, silent_server, redis_server
) -> None:
    with override_settings(**cache_settings(f"redis://{redis_server.address}/0", [silent_server])):
        response = staff_client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["memcached-1"] == (
        f"Memcached at {silent_server} did not answer within 0.5 s."
    )


def test_readiness_gives_up_on_a_redis_that_never_answers(
    staff_client, silent_server, memcached_server
) -> None:
    with override_settings(
        **cache_settings(f"redis://{silent_server}/0", [memcached_server.address])
    ):
        response = staff_client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["redis"] == f"Redis at {silent_server} did not answer within 0.5 s."
