import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

PASSWORD = "correct horse battery 42"
# As `make db` loads them (loadcontent also reads a question naming its lesson the older way).
FIXTURES = ["fixtures/lessons.json", "fixtures/quiz.json", "fixtures/quiz-new-lessons.json"]


@pytest.fixture
def course(db) -> None:
    call_command("loadcontent", *FIXTURES, verbosity=0)


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
