"""While the database is down a learner gets a clear 503 page, never a 500."""

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from ops.errors import server_error


def database_down(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.mark.django_db
def test_a_page_that_needs_the_database_while_it_is_down_is_a_503_with_retry_after() -> None:
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(database_down):
        response = client.get("/quiz/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Cache Lab is back in a moment" in page
    assert "The database that keeps lessons, quiz attempts and sessions is not answering" in page
    assert "X-CSRFToken" not in page  # no token: making one would need the session


def test_any_other_error_is_still_a_plain_500() -> None:
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
