import tomllib

import pytest

from lessons.content import CONTENT_DIR
from lessons.models import Lesson

# The course in reading order, as lessons.toml (the fixture's source) lists it.
SLUGS = [
    entry["slug"] for entry in tomllib.loads((CONTENT_DIR / "lessons.toml").read_text())["lesson"]
]


@pytest.fixture
def course(db) -> list[Lesson]:
    """The lessons from fixtures/lessons.json, as `make run` loads them (in the test
    database for the session: tests/conftest.py)."""
    return list(Lesson.objects.all())


def change_form_data(lesson: Lesson, **changes) -> dict:
    """What the admin's change form posts for `lesson`, with `changes` applied."""
    fields = ["title", "slug", "order", "impact", "summary", "body"]
    return {name: getattr(lesson, name) for name in fields} | changes
