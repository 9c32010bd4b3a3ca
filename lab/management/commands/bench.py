"""`manage.py bench` (or `make bench`): see lab/bench.py for what is measured."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from lab.bench import DEFAULT_TARGETS, FULL, SHORT, load_targets, markdown, run, update_readme


class Command(BaseCommand):
    help = "Benchmark cache operations and the site's pages under load; print a table, write JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--short", action="store_true", help="a quick run (used by the tests)")
        parser.add_argument("--output", type=Path, default=Path("bench-results/latest.json"))
        parser.add_argument("--readme", type=Path, help="write the table into this README")
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
        table = markdown(results)
        self.stdout.write(table)
        self.stdout.write(f"JSON written to {output}")
        if readme:
            update_readme(readme, table)
            self.stdout.write(f"Table written to {readme}")
