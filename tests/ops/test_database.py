"""`make test` runs the database-touching tests twice: on SQLite and on PostgreSQL."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_tests_run_on_the_database_the_run_asked_for(pytestconfig) -> None:
    asked = pytestconfig.getoption("--database")
    assert connection.vendor == asked
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
