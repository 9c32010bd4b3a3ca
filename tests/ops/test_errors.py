"""Only a database that cannot be reached is the "back in a moment" 503; every other database
error is a logged 500. The errors are the drivers' own, raised by real SQLite and PostgreSQL."""

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator

import psycopg
import pytest
from django.db import DatabaseError, OperationalError, connection, connections
from django.db.utils import ConnectionHandler
from django.test import Client, RequestFactory

from ops.errors import database_unreachable, server_error

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    "config.getoption('--database') != 'postgresql'",
    reason="needs the suite's PostgreSQL: pytest --database=postgresql",
)


def answer_to(error: BaseException):
    """What the site's 500 handler answers for `error` (it reads the error being handled)."""
    try:
        raise error
    except BaseException:
        return server_error(RequestFactory().get("/"))


@pytest.fixture
def anonymous() -> Client:
    return Client(raise_request_exception=False)


def test_a_page_while_the_database_cannot_be_reached_is_a_503_with_retry_after(
    anonymous, database_down
) -> None:
    with database_down():
        response = anonymous.get("/quiz/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Cache Lab is back in a moment" in page
    assert "The database that keeps lessons, quiz attempts and sessions is not answering" in page
    assert "X-CSRFToken" not in page  # no token: making one would need the session


def test_a_missing_table_is_a_logged_500_not_the_outage_page(anonymous, caplog) -> None:
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute("ALTER TABLE quiz_quiz RENAME TO quiz_quiz_gone")
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = anonymous.get("/quiz/")
    assert response.status_code == 500
    assert "back in a moment" not in response.content.decode()
    assert "Retry-After" not in response
    logged = [record for record in caplog.records if record.name == "django.request"]
    assert logged and "quiz_quiz" in str(logged[0].exc_info[1])


def sqlite_connection(path, **options):
    """A Django connection of its own to an SQLite file."""
    settings = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options}
    return ConnectionHandler({"default": settings})["default"]


@pytest.fixture
def locked_sqlite(tmp_path) -> Iterator:
    """A Django connection to an SQLite file another connection holds an exclusive lock on
    (SQLite gives up after 0.05 s instead of its default 5 s)."""
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE counter (n integer)")
    holder.execute("BEGIN EXCLUSIVE")
    locked = sqlite_connection(path, timeout=0.05)
    yield locked
    locked.close()
    holder.close()


def test_sqlite_database_is_locked_is_a_500(locked_sqlite) -> None:
    with (
        pytest.raises(OperationalError, match="database is locked") as raised,
        locked_sqlite.cursor() as cursor,
    ):
        cursor.execute("INSERT INTO counter VALUES (1)")
    assert not database_unreachable(raised.value)
    assert answer_to(raised.value).status_code == 500


def test_a_page_whose_sqlite_database_is_locked_is_a_500(locked_sqlite, anonymous, caplog):
    site_database = connections["default"]
    connections["default"] = locked_sqlite  # the site's database, locked by another writer
    try:
        with caplog.at_level(logging.ERROR, logger="django.request"):
            response = anonymous.get("/quiz/")
    finally:
        connections["default"] = site_database
    assert response.status_code == 500
    assert "Retry-After" not in response
    logged = [record for record in caplog.records if record.name == "django.request"]
    assert logged and "database is locked" in str(logged[0].exc_info[1])


def test_an_sqlite_file_that_cannot_be_opened_is_unreachable(tmp_path) -> None:
    missing = sqlite_connection(tmp_path / "missing" / "db.sqlite3")
    with pytest.raises(OperationalError, match="unable to open database file") as raised:
        missing.ensure_connection()
    assert database_unreachable(raised.value)
    response = answer_to(raised.value)
    assert response.status_code == 503 and response["Retry-After"] == "5"


def test_any_other_error_is_still_a_plain_500() -> None:
    assert answer_to(ValueError("a bug")).status_code == 500


def separate_connection():
    """A second Django connection to the suite's PostgreSQL test database, outside the
    test's transaction."""
    return ConnectionHandler({"default": dict(connection.settings_dict)})["default"]


@on_postgresql
def test_a_postgresql_server_that_refuses_connections_is_unreachable(database_down):
    with pytest.raises(OperationalError) as raised, database_down(), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert isinstance(raised.value.__cause__, psycopg.OperationalError)
    assert database_unreachable(raised.value)
    assert answer_to(raised.value).status_code == 503


@on_postgresql
def test_a_postgresql_backend_terminated_by_the_server_is_unreachable() -> None:
    victim = separate_connection()
    with victim.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    try:
        with pytest.raises(DatabaseError) as raised, victim.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        victim.close()
    assert database_unreachable(raised.value)
    assert answer_to(raised.value).status_code == 503


def waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def backend_pid(cursor) -> int:
    cursor.execute("SELECT pg_backend_pid()")
    return cursor.fetchone()[0]


@on_postgresql
def test_a_postgresql_deadlock_is_a_500() -> None:
    """Two transactions lock two rows in opposite orders. PostgreSQL aborts the one whose
    deadlock check runs first: the second to wait, with a deadlock_timeout of 0.1 s (the
    other waits with 10 s)."""
    first, second = separate_connection(), separate_connection()
    lock = "SELECT id FROM ops_deadlock_probe WHERE id = %s FOR UPDATE"
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE ops_deadlock_probe (id integer PRIMARY KEY)")
        cursor.execute("INSERT INTO ops_deadlock_probe VALUES (1), (2)")
    first_cursor, second_cursor = first.cursor(), second.cursor()
    second.inc_thread_sharing()  # the second transaction waits in another thread
    waiting = threading.Thread(target=lambda: second_cursor.execute(lock, [1]))
    try:
        first.set_autocommit(False)
        second.set_autocommit(False)
        first_cursor.execute("SET LOCAL deadlock_timeout = '100ms'")
        second_cursor.execute("SET LOCAL deadlock_timeout = '10s'")
        first_cursor.execute(lock, [1])
        second_cursor.execute(lock, [2])
        second_pid = backend_pid(second_cursor)
        waiting.start()
        deadline = time.monotonic() + 10
        while not waits_for_a_lock(second_pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        with pytest.raises(OperationalError) as raised:
            first_cursor.execute(lock, [2])  # the cycle: each waits for the other
    finally:
        first.close()  # ends the first transaction: the second one gets row 1
        waiting.join(timeout=10)
        second.close()
        cleanup = separate_connection()
        with cleanup.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS ops_deadlock_probe")
        cleanup.close()
    assert isinstance(raised.value.__cause__, psycopg.errors.DeadlockDetected)
    assert not database_unreachable(raised.value)
    assert answer_to(raised.value).status_code == 500
