import pytest

from spotbug.models import Snippet


@pytest.fixture
def snippets(db) -> list[Snippet]:
    """The snippets, in the test database for the session (tests/conftest.py)."""
    return list(Snippet.objects.select_related("lesson"))
