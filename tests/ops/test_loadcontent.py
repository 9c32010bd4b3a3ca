"""`manage.py loadcontent`: every fixture into an empty database, nothing over edited content."""

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from lessons.models import Lesson
from quiz.models import Question, Quiz

FIXTURES = sorted(str(path) for path in Path(settings.BASE_DIR, "fixtures").glob("*.json"))


def load() -> str:
    out = StringIO()
    call_command("loadcontent", *FIXTURES, stdout=out)
    return out.getvalue()


def test_two_fixtures_of_the_same_models_both_load_into_an_empty_database(db) -> None:
    assert "fixtures/quiz-new-lessons.json" in " ".join(FIXTURES)  # sorted before quiz.json
    said = load()
    assert said.count(": loaded.") == len(FIXTURES)
    assert {"practice", "production"} <= set(Quiz.objects.values_list("slug", flat=True))
    assert Question.objects.filter(quiz__slug="production").exists()


def test_a_second_run_skips_every_fixture_and_keeps_an_edit(db) -> None:
    load()
    Lesson.objects.filter(slug="why-cache").update(title="Edited in the admin")
    said = load()
    assert ": loaded." not in said and said.count("skipped") == len(FIXTURES)
    assert Lesson.objects.get(slug="why-cache").title == "Edited in the admin"
