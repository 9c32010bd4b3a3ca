import pytest

from flashcards.models import Card


@pytest.fixture
def deck(db) -> list[Card]:
    """The cards, in the test database for the session (tests/conftest.py)."""
    return list(Card.objects.select_related("lesson"))
