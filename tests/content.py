"""The course content in the test database: loaded once per session, as `make db` loads it.

Loading the fixtures runs every row's post_save signals (new outline and quiz versions,
explanations dropped from the cache...) and loadcontent's release bookkeeping, which made
it most of a database test's cost when each test loaded them. The suite loads them once
(`load`) and keeps a copy of the rows of every table the load filled, as they are then. A
transactional test ends by emptying every table; `restore` puts the copy back with one
insert per table, signals not sent again: the rows are those the signals left, and every
test starts with empty caches anyway. `remove` empties those tables for a test that loads
content itself (inside its transaction: the next test has the content again).
"""

import io
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model

FIXTURES = sorted(str(path) for path in Path(settings.BASE_DIR, "fixtures").glob("*.json"))


def row_counts() -> dict[type[Model], int]:
    """Rows per table (proxies share their model's table)."""
    tables = [model for model in apps.get_models() if model._meta.managed and not model._meta.proxy]
    return {model: model._base_manager.count() for model in tables}


class CourseContent:
    def __init__(self) -> None:
        self.rows: list[tuple[type[Model], list[Model]]] = []

    def load(self) -> None:
        before = row_counts()
        call_command("loadcontent", *FIXTURES, stdout=io.StringIO())
        filled = [model for model, count in row_counts().items() if count and not before[model]]
        self.rows = [(model, list(model._base_manager.order_by("pk"))) for model in filled]

    @property
    def models(self) -> list[type[Model]]:
        return [model for model, _rows in self.rows]

    def present(self) -> bool:
        model, rows = self.rows[0]
        return model._base_manager.count() == len(rows)

    def restore(self) -> None:
        with transaction.atomic():
            for model, rows in self.rows:
                model._base_manager.bulk_create(rows)
        with connection.cursor() as cursor:  # PostgreSQL: ids go on after the restored ones
            for statement in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(statement)

    def remove(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for model in reversed(self.models):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
