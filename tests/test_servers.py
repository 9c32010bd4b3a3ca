"""The suite's own servers (tests/servers.py) do what the fault tests ask of them."""

import psycopg
import redis

from ops.services import memcached_answers, redis_answers
from tests.servers import POSTGRES_USER
from tests.waiting import wait_for


def test_a_stopped_memcached_refuses_connections_and_answers_again_when_started(
    own_server,
) -> None:
    server = own_server("memcached")
    server.stop()
    assert not memcached_answers(server.port)
    server.start()
    assert memcached_answers(server.port)


def test_a_paused_redis_answers_nothing_until_it_is_resumed(own_server) -> None:
    server = own_server("redis")
    with server.paused():
        assert not redis_answers(server.port)  # the kernel accepts, nobody replies
    assert wait_for(lambda: redis_answers(server.port), seconds=2)


def test_a_restarted_redis_answers_on_the_same_port_and_starts_empty(own_server) -> None:
    server = own_server("redis")
    client = redis.Redis(host="127.0.0.1", port=server.port)
    client.set("k", "v")
    server.restart()
    assert client.get("k") is None  # no snapshot: a test's restart starts from nothing
    assert redis_answers(server.port)


def test_a_restarted_postgres_keeps_its_data_and_listens_on_loopback_only(own_server) -> None:
    server = own_server("postgres")
    address = {"host": "127.0.0.1", "port": server.port, "user": POSTGRES_USER}
    with psycopg.connect(**address, dbname="postgres", autocommit=True) as connection:
        assert connection.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
        connection.execute("CREATE TABLE kept (value text)")
        connection.execute("INSERT INTO kept VALUES ('still here')")
    server.restart()
    with psycopg.connect(**address, dbname="postgres") as connection:
        assert connection.execute("SELECT value FROM kept").fetchone() == ("still here",)


def test_a_removed_server_is_stopped_and_its_directory_deleted(own_server) -> None:
    server = own_server("redis")
    directory = server.directory
    server.remove()
    assert not redis_answers(server.port) and not directory.exists()
