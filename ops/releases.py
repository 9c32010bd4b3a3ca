"""Content releases: the fixtures of a release merged into a database that holds an earlier
release, learners' work and instructors' edits (`manage.py loadcontent`).

Each row a fixture made is recorded (ops.models.ReleasedRow) with a hash of every field as
the fixture gave it. The next release is merged field by field, against that record:

- a field the new fixture changes is written when the row still holds what the previous
  fixture gave it; one that differs was edited (in the admin, the shell...) and is kept,
  and the run says so. Fields the admin cannot edit (`editable=False`: a lesson's rendered
  body) and `auto_now` times are written when a row is made; afterwards the model's own
  save() keeps them in step with the fields it saves;
- an object new in the fixtures becomes a row (keeping the fixture's pk when it is free);
- a row deleted in the admin is not made again;
- a row whose object left the fixtures is deleted, unless an instructor edited it or
  deleting it would take learners' rows with it (answers, attempts, readings) or is
  protected: then it is kept, and reported once.

A row already there without a record (a database filled before records were kept, or a
lesson an instructor made with a release's slug) is taken as the fixture's row, each field
that differs counting as an instructor's edit. So to bring such a database up to a release,
first run loadcontent with the fixtures that filled it (`git show <release>:fixtures/...`).

An unchanged release costs one query for the records and a hash per fixture object. Which
models take part and how a fixture names rows: ops.fixtures.
"""

import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from ops.fixtures import Item, digest, has_natural_key, reference, takes_part
from ops.models import ReleasedRow

Model = type[models.Model]


@dataclass
class Report:
    created: int = 0
    unchanged: int = 0
    updated: list[str] = field(default_factory=list)  # "quiz.question 5: prompt, code"
    edits_kept: list[str] = field(default_factory=list)
    not_restored: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    removed_kept: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


WITH_ITS_PARENT = "kept with the row it belongs to"


class Skip(Exception):
    """An object that cannot become a row: a row it points at was deleted in the admin, or
    was not made either."""


def compared(field: models.Field) -> bool:
    """A field merged against the record: one an instructor can edit."""
    automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    return field.editable and not field.primary_key and not automatic


def targets(model: Model) -> set[Model]:
    return {f.related_model for f in model._meta.concrete_fields if f.is_relation} - {model}


def parents_first(content: set[Model]) -> list[Model]:
    """The models, each after those its foreign keys point at."""
    ordered: list[Model] = []
    pending = sorted(content, key=lambda model: model._meta.label_lower)
    while pending:
        ready = [model for model in pending if targets(model) & content <= set(ordered)]
        if not ready:
            raise CommandError(f"Circular foreign keys between {', '.join(map(str, pending))}.")
        ordered += ready
        pending = [model for model in pending if model not in ready]
    return ordered


def field_hashes(row: models.Model, names) -> dict[str, str]:
    """The hashes of the row's values, for the names it still has fields for."""
    fields = {f.name: f for f in row._meta.concrete_fields}
    return {name: digest(fields[name].value_from_object(row)) for name in names if name in fields}


def known(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


class Release:
    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self.report = Report()
        self.records = {
            (rec.model, rec.key): rec for rec in ReleasedRow.objects.all() if known(rec.model)
        }  # records of models the project no longer has are left alone
        self.pks = {
            key: apps.get_model(rec.model)._meta.pk.to_python(rec.object_pk)
            for key, rec in self.records.items()
        }
        self.recorded_models = {rec.model for rec in self.records.values()}
        self.new_records: list[ReleasedRow] = []
        self.changed_records: dict[int, ReleasedRow] = {}
        self.explicit_pks: set[Model] = set()
        self._existing: dict[Model, set] = {}
        self.kept_rows: set[tuple[Model, Any]] = set()  # rows a kept removed row holds on to
        self.not_made: set[tuple[str, str]] = set()  # objects skipped in this run

    def merge(self) -> Report:
        by_model: dict[Model, list[Item]] = {}
        for item in self.items:
            by_model.setdefault(item.model, []).append(item)
        removed = self.removed_records()
        order = parents_first(set(by_model) | {apps.get_model(rec.model) for rec in removed})
        for model in order:
            for item in by_model.get(model, []):
                self.merge_item(item)
        for rec in sorted(removed, key=lambda rec: order.index(apps.get_model(rec.model))):
            self.remove(rec)
        self.save_records()
        if self.explicit_pks:
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), self.explicit_pks):
                    cursor.execute(sql)
        return self.report

    def existing(self, model: Model) -> set:
        if model not in self._existing:
            self._existing[model] = set(model._default_manager.values_list("pk", flat=True))
        return self._existing[model]

    def merge_item(self, item: Item) -> None:
        rec = self.records.get((item.label, item.key))
        if rec is not None and not rec.removed and rec.digest == item.digest:
            self.report.unchanged += 1
            if rec.source != item.source:
                rec.source = item.source
                self.changed_records[rec.pk] = rec
            return
        try:
            values = self.values(item)
            theirs = {
                name: digest(value)
                for name, value in values.items()
                if compared(item.model._meta.get_field(name))
            }
            with transaction.atomic():  # a row refused (a unique value taken) changes nothing
                if rec is None:
                    self.add(item, values, theirs)
                else:
                    self.update(item, rec, values, theirs)
        except (Skip, IntegrityError) as why:
            self.not_made.add((item.label, item.key))
            self.report.skipped.append(f"{item}: {why}")

    def values(self, item: Item) -> dict[str, Any]:
        """The object's fields as Python values, its references as database pks."""
        values = {}
        for name, raw in item.fields.items():
            model_field = item.model._meta.get_field(name)
            if model_field.is_relation:
                values[name] = self.pk_of(model_field, reference(model_field, raw, str(item)), item)
            else:
                values[name] = model_field.to_python(raw)
        return values

    def pk_of(self, model_field: models.Field, key: str | None, item: Item) -> Any:
        if key is None:
            return None
        target = model_field.related_model
        if not takes_part(target):
            raise CommandError(f"{item}: {model_field.name} points at {target._meta.label_lower}, "
                               "which is not release content.")  # fmt: skip
        if (target._meta.label_lower, key) in self.not_made:
            raise Skip(f"its {model_field.name} {key} was not made")
        pk = self.pks.get((target._meta.label_lower, key))
        if pk is None and has_natural_key(target):
            with contextlib.suppress(target.DoesNotExist):
                pk = target._default_manager.get_by_natural_key(*json.loads(key)).pk
        if pk is None:
            raise CommandError(f"{item}: its {model_field.name} {key} is in no fixture given "
                               "and not in the database.")  # fmt: skip
        if pk not in self.existing(target):
            raise Skip(f"its {model_field.name} {key} was deleted in the admin")
        return pk

    def add(self, item: Item, values: dict[str, Any], theirs: dict[str, str]) -> None:
        row = self.adoptable(item)
        if row is not None:
            ours = field_hashes(row, theirs)
            kept = [name for name in theirs if ours[name] != theirs[name]]
            if kept:
                self.report.edits_kept.append(f"{item}, found without a record: {', '.join(kept)}")
            self.record(item, row.pk, theirs)
            return
        model = item.model
        row = model(**{model._meta.get_field(name).attname: v for name, v in values.items()})
        pk = None if item.pk is None else model._meta.pk.to_python(item.pk)
        if pk is not None and pk not in self.existing(model):
            row.pk = pk
            self.explicit_pks.add(model)
        # Raw, as loaddata saves: the fixture's values as given, its rendered fields too.
        row.save_base(raw=True, force_insert=True)
        self.existing(model).add(row.pk)
        self.report.created += 1
        self.record(item, row.pk, theirs)

    def adoptable(self, item: Item) -> models.Model | None:
        """The row already there that this object names, though no record says so."""
        manager = item.model._default_manager
        if has_natural_key(item.model):
            try:
                return manager.get_by_natural_key(*json.loads(item.key))
            except item.model.DoesNotExist:
                return None
        if item.label in self.recorded_models or item.pk is None:
            return None  # recorded before: a row with its pk was made by someone else
        pk = item.model._meta.pk.to_python(item.pk)
        return manager.get(pk=pk) if pk in self.existing(item.model) else None

    def update(self, item: Item, rec: ReleasedRow, values: dict, theirs: dict) -> None:
        row = item.model._default_manager.filter(pk=self.pks[(item.label, item.key)]).first()
        if row is None:
            self.report.not_restored.append(str(item))
        else:
            self.write_changes(item, row, rec.fields, values, theirs)
        rec.digest, rec.fields, rec.source, rec.removed = item.digest, theirs, item.source, False
        self.changed_records[rec.pk] = rec

    def write_changes(self, item: Item, row, base: dict, values: dict, theirs: dict) -> None:
        ours = field_hashes(row, theirs)
        changed, kept = [], []
        for name, their in theirs.items():
            if their == base.get(name) or ours[name] == their:
                continue
            if name not in base or ours[name] == base[name]:
                setattr(row, item.model._meta.get_field(name).attname, values[name])
                changed.append(name)
            else:
                kept.append(name)
        if kept:
            self.report.edits_kept.append(f"{item}: {', '.join(kept)}")
        if changed:
            fields = item.model._meta.concrete_fields
            stamps = [f.name for f in fields if getattr(f, "auto_now", False)]
            row.save(update_fields=[*changed, *stamps])  # save() updates what it derives
            self.report.updated.append(f"{item}: {', '.join(changed)}")

    def record(self, item: Item, pk: Any, theirs: dict[str, str]) -> None:
        self.pks[(item.label, item.key)] = pk
        rec = ReleasedRow(
            model=item.label,
            key=item.key,
            object_pk=str(pk),
            source=item.source,
            digest=item.digest,
            fields=theirs,
        )
        self.records[(item.label, item.key)] = rec
        self.new_records.append(rec)

    def removed_records(self) -> list[ReleasedRow]:
        """Records of rows whose object left the fixture files given."""
        sources = {item.source for item in self.items}
        present = {(item.label, item.key) for item in self.items}
        return [
            rec
            for key, rec in self.records.items()
            if rec.source in sources and not rec.removed and key not in present
        ]

    def remove(self, rec: ReleasedRow) -> None:
        model = apps.get_model(rec.model)
        row = model._default_manager.filter(pk=model._meta.pk.to_python(rec.object_pk)).first()
        name = f"{rec.model} {rec.key} ({rec.source})"
        if row is None:
            rec.delete()
            return
        reason, cascade = self.why_keep(row, rec)
        if reason:
            rec.removed = True
            self.changed_records[rec.pk] = rec
            if reason != WITH_ITS_PARENT:
                self.report.removed_kept.append(f"{name}: {reason}")
            self.kept_rows |= cascade
            return
        row.delete()
        rec.delete()
        self.report.deleted.append(name)

    def why_keep(self, row: models.Model, rec: ReleasedRow) -> tuple[str, set]:
        """Why a row whose object left the fixtures stays ("" if nothing holds it), and the
        content rows deleting it would delete (they stay with it)."""
        collector = Collector(using=row._state.db)
        try:
            collector.collect([row])
        except (ProtectedError, RestrictedError) as error:
            blockers = {obj._meta.verbose_name_plural for obj in error.args[1]}
            return f"{', '.join(sorted(blockers))} point at it", set()
        cascade = {(type(obj), obj.pk) for objs in collector.data.values() for obj in objs}
        if (type(row), row.pk) in self.kept_rows:
            return WITH_ITS_PARENT, cascade
        ours = field_hashes(row, rec.fields)
        edited = [name for name, base in rec.fields.items() if ours.get(name, base) != base]
        if edited:
            return f"edited in the admin ({', '.join(edited)})", cascade
        work = {model for model, rows in collector.data.items() if rows and not takes_part(model)}
        work |= {
            rows.model
            for rows in collector.fast_deletes
            if not takes_part(rows.model) and rows.exists()
        }
        if work:
            names = sorted(str(model._meta.verbose_name_plural) for model in work)
            return f"learners' {', '.join(names)} depend on it", cascade
        return "", cascade

    def save_records(self) -> None:
        ReleasedRow.objects.bulk_create(self.new_records)
        ReleasedRow.objects.bulk_update(
            self.changed_records.values(), ["digest", "fields", "source", "removed"]
        )


def load_release(items: list[Item]) -> Report:
    """Merge the release's objects (all taking part) into the database, in one transaction."""
    seen: dict[tuple[str, str], Item] = {}
    for item in items:
        first = seen.setdefault((item.label, item.key), item)
        if first is not item:
            raise CommandError(f"{item.label} {item.key} is in {first.source} and {item.source}.")
    with transaction.atomic():
        return Release(items).merge()
