"""`manage.py loadcontent FIXTURE...`: bring the course content up to this release.

`make db`, `make serve`, the cluster and every deploy run it; an unchanged release changes
nothing and costs a few milliseconds, so run it on every start.

Fixtures whose models take part in releases (`content_release = True` on the model: lessons,
quizzes with their questions, choices, solutions and steps, the sandbox's explanations) are
merged into the database (ops.releases): new objects become rows; a field the release changed
reaches every row where it still holds what the previous release gave it; a field an
instructor edited in the admin keeps the edit (the run names it); a row deleted in the admin
stays deleted; a row whose object left the fixtures is deleted unless it was edited or
learners' answers, attempts or readings depend on it (then it is kept and named once). All of
it in one transaction: a fixture that cannot be read changes nothing.

A fixture of other models is loaded as before, only into empty tables.

Fixtures name rows as ops.fixtures describes (lessons by slug: `"lesson": ["locmem"]`; the
older `"lesson": "locmem"` is read too). `--dry-run` prints what would change and changes
nothing. A database filled before this command kept records takes its rows as the release's
and every field that differs as an edit: load the fixtures that filled it first.
"""

from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ops.fixtures import Item, model_of, read_items, read_objects, takes_part
from ops.releases import Report, load_release


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Merge the release's content into the database, keeping instructors' edits."

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="*")
        parser.add_argument("--dry-run", action="store_true", help="Change nothing.")

    def handle(self, *args, fixtures: list[str], dry_run: bool, **options):
        release: list[Item] = []
        once: list[Path] = []
        for name in fixtures:
            path = Path(name)
            parts = {takes_part(model_of(obj["model"], path)) for obj in read_objects(path)}
            if parts == {True, False}:
                raise CommandError(f"{path}: release content and other models in one fixture.")
            if parts == {False}:
                once.append(path)
            else:
                release += read_items(path)
        try:
            with transaction.atomic():
                if release:
                    self.show(load_release(release), len(release))
                for path in once:
                    self.load_once(path)
                if dry_run:
                    raise DryRun
        except DryRun:
            self.stdout.write("Dry run: nothing was changed.")

    def load_once(self, path: Path) -> None:
        labels = sorted({obj["model"].lower() for obj in read_objects(path)})
        filled = [label for label in labels if apps.get_model(label)._default_manager.exists()]
        if filled:
            self.stdout.write(f"{path}: skipped, already has {', '.join(filled)} rows.")
            return
        call_command("loaddata", str(path), verbosity=0)
        self.stdout.write(f"{path}: loaded into empty tables.")

    def show(self, report: Report, count: int) -> None:
        if not report.changed_anything and not report.edits_kept and not report.removed_kept:
            self.stdout.write(f"Content: {count} objects, all as the database has them.")
            return
        self.stdout.write(
            f"Content: {report.created} rows made, {len(report.updated)} updated, "
            f"{len(report.deleted)} deleted, {report.unchanged} unchanged."
        )
        sections = [
            ("Updated", report.updated),
            ("Kept, edited in the admin", report.edits_kept),
            ("Deleted in the admin, not made again", report.not_restored),
            (
                "Not made or not changed (a row they point at is gone, or a value is taken)",
                report.skipped,
            ),
            ("Deleted, gone from the fixtures", report.deleted),
            ("Kept though gone from the fixtures (delete them in the admin)", report.removed_kept),
        ]
        for title, lines in sections:
            if lines:
                self.stdout.write(f"{title}:")
                for line in lines:
                    self.stdout.write(f"  {line}")
