"""`manage.py prune`: forget anonymous learners' work and login failures older than
RETENTION_DAYS (learners.retention says what exactly). Run it daily (README: cron, systemd)."""

from django.core.management.base import BaseCommand, CommandError

from learners.retention import prune


class Command(BaseCommand):
    help = "Delete anonymous learners' work, expired sessions and login failures past retention."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="The age instead of RETENTION_DAYS.")
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *args, days: int | None, dry_run: bool, **options):
        if days is not None and days < 1:
            raise CommandError("--days: at least 1.")
        pruned = prune(days, dry_run=dry_run)
        self.stdout.write(("Would delete. " if dry_run else "Deleted. ") + str(pruned))
