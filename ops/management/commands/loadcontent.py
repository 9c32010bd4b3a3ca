"""`manage.py loadcontent FIXTURE...`: load the course content into an empty database.

`make run` calls this every time. A fixture whose models already have rows is skipped,
so content an instructor edited in the admin is never overwritten by a restart. Use
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
        for name in fixtures:
            path = Path(name)
            models = fixture_models(path)
            filled = sorted(label for label in models if apps.get_model(label).objects.exists())
            if filled:
                self.stdout.write(f"{path}: skipped, already has {', '.join(filled)} rows.")
                continue
            call_command("loaddata", str(path), verbosity=0)
            self.stdout.write(f"{path}: loaded.")
