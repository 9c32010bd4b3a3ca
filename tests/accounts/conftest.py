import pytest
from django.contrib.auth import get_user_model

PASSWORD = "correct horse battery 42"


@pytest.fixture
def course(db) -> None:
    """The lessons and quizzes: in the test database for the session (tests/conftest.py)."""


@pytest.fixture
def ada(db):
    return get_user_model().objects.create_user("ada", "ada@example.com", PASSWORD)


@pytest.fixture
def bob(db):
    return get_user_model().objects.create_user("bob", "bob@example.com", PASSWORD)


def log_in(client, username: str, password: str = PASSWORD, address: str = "10.0.0.1"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )
