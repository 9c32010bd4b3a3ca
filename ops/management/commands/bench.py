"""`manage.py bench` (or `make bench`): see the `bench` package for what is measured."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from bench.report import markdown, update_readme
from bench.runner import run
from bench.targets import DEFAULT_TARGETS, FULL, SHORT, load_targets


class Command(BaseCommand):
    help = "Benchmark cache operations and the site's pages under load; print a table, write JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--short", action="store_true", help="a quick run (used by the tests)")
        parser.add_argument("--output", type=Path, default=settings.CACHELAB_BENCH_RESULTS)
        parser.add_argument("--readme", type=Path, help="write the report into this README")
        parser.add_argument("--targets", type=Path, help="a JSON list of URLs to load instead")

    def handle(self, *args, short: bool, output: Path, readme: Path | None, targets: Path | None,
               **options) -> None:  # fmt: skip
        results = run(
            SHORT if short else FULL,
            load_targets(targets) if targets else DEFAULT_TARGETS,
            log=self.stderr.write,
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(results, indent=2) + "\n")
        report = markdown(results)
        self.stdout.write(report)
        self.stdout.write(f"JSON written to {output}")
        if readme:
            update_readme(readme, report)
            self.stdout.write(f"Report written to {readme}")
