import pytest
from django.core.management import call_command

from spotbug.models import Snippet

# Snippets name their lesson by slug: the lessons come first, as `make db` loads them.
FIXTURES = ["fixtures/lessons.json", "fixtures/spotbug.json"]


@pytest.fixture
def snippets(db) -> list[Snippet]:
    for fixture in FIXTURES:
        call_command("loaddata", fixture, verbosity=0)
    return list(Snippet.objects.select_related("lesson"))
