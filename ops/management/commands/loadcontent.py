"""`manage.py loadcontent FIXTURE...`: load the course content into an empty database.

`make run` calls this every time. A fixture whose models already have rows is skipped,
so content an instructor edited in the admin is never overwritten by a restart. Use
`manage.py loaddata` to overwrite on purpose. Fixtures load in the order their rows need
(a challenge names its lesson, so lessons.json loads first), whatever order they are given in.
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


def related_labels(label: str) -> set[str]:
    """The models rows of `label` point at."""
    fields = apps.get_model(label)._meta.concrete_fields
    return {field.related_model._meta.label_lower for field in fields if field.related_model}


def load_order(paths: list[Path]) -> list[Path]:
    """`paths` with each fixture after the fixtures holding the models its rows point at
    (as given where nothing says otherwise, or where they point at each other)."""
    models = {path: fixture_models(path) for path in paths}
    needs = {
        path: {
            other
            for other in paths
            if other != path and models[other] & set().union(*map(related_labels, models[path]))
        }
        for path in paths
    }
    ordered: list[Path] = []
    pending = list(paths)
    while pending:
        ready = next((path for path in pending if needs[path] <= set(ordered)), pending[0])
        ordered.append(ready)
        pending.remove(ready)
    return ordered


class Command(BaseCommand):
    help = "Load fixtures whose models are still empty; skip the others."

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="*")

    def handle(self, *args, fixtures: list[str], **options):
        for path in load_order([Path(name) for name in fixtures]):
            models = fixture_models(path)
            filled = sorted(label for label in models if apps.get_model(label).objects.exists())
            if filled:
                self.stdout.write(f"{path}: skipped, already has {', '.join(filled)} rows.")
                continue
            call_command("loaddata", str(path), verbosity=0)
            self.stdout.write(f"{path}: loaded.")
