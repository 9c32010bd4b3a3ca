"""`manage.py loadcontent`: fixtures load in the order their rows need, whatever order they
are given in (make db gives them sorted by name: challenges.json before lessons.json)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from challenges.models import Challenge
from lessons.models import Lesson
from quiz.models import Question, Quiz

FIXTURES = sorted(Path(settings.BASE_DIR, "fixtures").glob("*.json"))


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_course")
def test_every_fixture_loads_into_an_empty_database_given_in_name_order(capsys) -> None:
    names = [path.name for path in FIXTURES]
    assert names.index("challenges.json") < names.index("lessons.json")
    call_command("loadcontent", *map(str, FIXTURES))
    assert Lesson.objects.exists() and Challenge.objects.exists()
    # quiz-new-lessons.json sorts before quiz.json, whose quizzes it does not need
    assert {"practice", "production"} <= set(Quiz.objects.values_list("slug", flat=True))
    assert Question.objects.filter(quiz__slug="production").exists()
    capsys.readouterr()
    call_command("loadcontent", *map(str, FIXTURES))  # a second time: nothing changes
    assert "all as the database has them" in capsys.readouterr().out
