"""`manage.py loadcontent FIXTURE...`: load the course content into an empty database.

`make run` calls this every time. A fixture whose models already had rows when the command
started is skipped, so content an instructor edited in the admin is never overwritten by a
restart. Which fixtures load is decided before any of them is loaded, and the chosen ones load
together in one `loaddata`: two fixtures of the same models (fixtures/quiz.json and
fixtures/quiz-new-lessons.json) both load into an empty database, in any order. Use
`manage.py loaddata` to overwrite on purpose.
"""

import json
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def fixture_models(path: Path) -> set[str]:
    try:
        objects = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise CommandError(f"{path}: not a readable JSON fixture ({error}).") from error
    return {obj["model"] for obj in objects}


class Command(BaseCommand):
    help = "Load fixtures whose models are still empty; skip the others."

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="*")

    def handle(self, *args, fixtures: list[str], **options):
        chosen = []
        for name in fixtures:
            path = Path(name)
            models = fixture_models(path)
            filled = sorted(label for label in models if apps.get_model(label).objects.exists())
            if filled:
                self.stdout.write(f"{path}: skipped, already has {', '.join(filled)} rows.")
            else:
                chosen.append(path)
        if chosen:
            call_command("loaddata", *map(str, chosen), verbosity=0)
        for path in chosen:
            self.stdout.write(f"{path}: loaded.")
