"""Content fixtures read as release items: which row each object names, and what it says.

A model takes part in content releases (`manage.py loadcontent`, ops.releases) by saying so
on its class: `content_release = True`. Its fixture objects name their row

- by the model's natural key when it has one (a `natural_key()` method and a manager with
  `get_by_natural_key()`; Lesson: its slug), the fixture's pk then being ignored;
- otherwise by the fixture's `pk`, which names the row among the fixtures only: loadcontent
  keeps it as the row's pk when that pk is free, else the row gets another one.

A foreign key to a natural-key model is written as the natural key (`"lesson": ["locmem"]`);
the older scalar form (`"lesson": "locmem"`) is read the same way, and
`python -m ops.fixtures FIXTURE...` rewrites a file to the list form. A foreign key to any
other model gives the target's fixture pk (`"quiz": 1`).
"""

import hashlib
import json
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


def takes_part(model: type[models.Model]) -> bool:
    return getattr(model, "content_release", False) is True


def has_natural_key(model: type[models.Model]) -> bool:
    return hasattr(model, "natural_key") and hasattr(model._default_manager, "get_by_natural_key")


def digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Item:
    """One fixture object."""

    model: type[models.Model]
    key: str  # names the row: the fixture pk, or the natural key as JSON
    pk: Any  # the fixture's pk (None when it gives none)
    fields: dict[str, Any]  # as written in the fixture
    source: str  # the fixture file's name

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @cached_property
    def digest(self) -> str:
        return digest(self.fields)

    def __str__(self) -> str:
        return f"{self.label} {self.key} ({self.source})"


def read_objects(path: Path) -> list[dict[str, Any]]:
    try:
        objects = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise CommandError(f"{path}: not a readable JSON fixture ({error}).") from error
    if not isinstance(objects, list) or not all(
        isinstance(obj, dict) and isinstance(obj.get("fields"), dict) and "model" in obj
        for obj in objects
    ):
        raise CommandError(f"{path}: a fixture is a list of {{model, pk, fields}} objects.")
    return objects


def model_of(label: str, path: Path) -> type[models.Model]:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError) as error:
        raise CommandError(f"{path}: no model {label!r}.") from error


def natural_key_of(model: type[models.Model], fields: dict[str, Any], where: str) -> str:
    """The natural key the fixture object's own (non-relational) fields give it."""
    values = {}
    for name, value in fields.items():
        field = model._meta.get_field(name)
        if not field.is_relation:
            values[field.attname] = field.to_python(value)
    try:
        return json.dumps(list(model(**values).natural_key()))
    except (AttributeError, TypeError, ValueError) as error:
        raise CommandError(f"{where}: no natural key in its fields ({error}).") from error


def read_items(path: Path) -> list[Item]:
    items = []
    for number, obj in enumerate(read_objects(path), start=1):
        model = model_of(obj["model"], path)
        where = f"{path.name}, object {number} ({obj['model']})"
        check_fields(model, obj["fields"], where)
        pk = obj.get("pk")
        if has_natural_key(model):
            key = natural_key_of(model, obj["fields"], where)
        elif pk is not None:
            key = str(pk)
        else:
            raise CommandError(f"{where}: needs a pk (its model has no natural key).")
        items.append(Item(model, key, pk, obj["fields"], path.name))
    return items


def check_fields(model: type[models.Model], fields: dict[str, Any], where: str) -> None:
    for name in fields:
        try:
            field = model._meta.get_field(name)
        except LookupError:
            raise CommandError(f"{where}: {model._meta.label_lower} has no field {name!r} "
                               "(are the migrations applied?).") from None  # fmt: skip
        if field.many_to_many or not field.concrete:
            raise CommandError(f"{where}: {name!r} is not a column; releases load columns only.")


def reference(field: models.Field, value: Any, where: str) -> str | None:
    """The key of the row a foreign-key value in a fixture names (None for none)."""
    if value is None:
        return None
    if has_natural_key(field.related_model):
        if isinstance(value, str):
            value = [value]  # the older form: "lesson": "locmem"
        if not isinstance(value, list):
            raise CommandError(f'{where}: name the {field.name} by its natural key, e.g. ["slug"].')
        return json.dumps(value)
    if isinstance(value, list | dict):
        raise CommandError(f"{where}: name the {field.name} by its fixture pk.")
    return str(value)


def with_natural_keys(objects: list[dict[str, Any]], path: Path) -> int:
    """Rewrite, in place, scalar references to natural-key models as lists; how many."""
    rewritten = 0
    for obj in objects:
        model = model_of(obj["model"], path)
        for name, value in obj["fields"].items():
            field = model._meta.get_field(name)
            relation = field.many_to_one or field.one_to_one
            if relation and has_natural_key(field.related_model) and isinstance(value, str):
                obj["fields"][name] = [value]
                rewritten += 1
    return rewritten


# A one-string list on one line, as `"lesson": ["locmem"]` is written by hand.
ONE_STRING_LIST = re.compile(r'\[\n\s+("(?:[^"\\\n]|\\.)*")\n\s+\]')


def fixture_text(objects: list[dict[str, Any]]) -> str:
    return ONE_STRING_LIST.sub(r"[\1]", json.dumps(objects, indent=2, ensure_ascii=False)) + "\n"


def main(paths: list[str]) -> None:
    import django

    django.setup()
    for name in paths:
        path = Path(name)
        objects = read_objects(path)
        count = with_natural_keys(objects, path)
        if count:
            path.write_text(fixture_text(objects))
        print(f"{path}: {count} references rewritten as natural keys")


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cachelab.settings")
    main(sys.argv[1:])
