"""Fixtures of the operations tests."""

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from ops.services import LOOPBACK, free_port


def error_reaching_a_database(vendor: str, directory: Path) -> Exception:
    """The error the driver really raises when its database cannot be reached: SQLite's
    file in a directory that does not exist, or a PostgreSQL port where nothing listens."""
    try:
        if vendor == "postgresql":
            psycopg.connect(host=LOOPBACK, port=free_port(), connect_timeout=2).close()
        else:
            sqlite3.connect(f"file:{directory / 'missing' / 'db.sqlite3'}?mode=rw", uri=True)
    except (sqlite3.Error, psycopg.Error) as error:
        return error
    raise AssertionError("the database was reachable")


@pytest.fixture
def database_down(tmp_path: Path) -> Callable[[], AbstractContextManager]:
    """`with database_down():` every query of the test's connection fails as it does
    while the database is down: the driver's own connection error, wrapped by Django."""

    def refuse(execute, sql, params, many, context):
        with context["connection"].wrap_database_errors:
            raise error_reaching_a_database(connection.vendor, tmp_path)

    return lambda: connection.execute_wrapper(refuse)
