import pytest
from django.core.management import call_command

from flashcards.models import Card

# Cards name their lesson by slug: the lessons come first, as `make db` loads them.
FIXTURES = ["fixtures/lessons.json", "fixtures/flashcards.json"]


@pytest.fixture
def deck(db) -> list[Card]:
    for fixture in FIXTURES:
        call_command("loaddata", fixture, verbosity=0)
    return list(Card.objects.select_related("lesson"))
