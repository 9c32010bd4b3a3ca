import tomllib

import pytest
from django.core.management import call_command

from lessons.content import CONTENT_DIR, FIXTURE_PATH
from lessons.models import Lesson

# The course in reading order, as lessons.toml (the fixture's source) lists it.
SLUGS = [
    entry["slug"] for entry in tomllib.loads((CONTENT_DIR / "lessons.toml").read_text())["lesson"]
]


@pytest.fixture
def course(db, django_capture_on_commit_callbacks) -> list[Lesson]:
    """The lessons from fixtures/lessons.json, as `make run` loads them, commit included (the
    page cache's generation moves on commit: sitecache.generations)."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddata", str(FIXTURE_PATH), verbosity=0)
    return list(Lesson.objects.all())


def change_form_data(lesson: Lesson, **changes) -> dict:
    """What the admin's change form posts for `lesson`, with `changes` applied."""
    fields = ["title", "slug", "order", "impact", "summary", "body"]
    return {name: getattr(lesson, name) for name in fields} | changes
