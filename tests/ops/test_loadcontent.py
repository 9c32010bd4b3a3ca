"""`manage.py loadcontent`: fixtures load in the order their rows need, whatever order they
are given in (make db gives them sorted by name: challenges.json before lessons.json)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from challenges.models import Challenge
from lessons.models import Lesson
from ops.management.commands.loadcontent import load_order

FIXTURES = sorted(Path(settings.BASE_DIR, "fixtures").glob("*.json"))


def test_a_fixture_loads_after_the_fixtures_its_rows_point_at() -> None:
    names = [path.name for path in load_order(FIXTURES)]
    assert names.index("lessons.json") < names.index("challenges.json")
    assert names.index("lessons.json") < names.index("quiz.json")


@pytest.mark.django_db
def test_every_fixture_loads_into_an_empty_database_given_in_name_order(capsys) -> None:
    call_command("loadcontent", *map(str, FIXTURES))
    assert Lesson.objects.exists() and Challenge.objects.exists()
    call_command("loadcontent", *map(str, FIXTURES))  # a second time: nothing overwritten
    assert "challenges.json: skipped" in capsys.readouterr().out
