"""Plain SQL for the two queries of every quiz step: compiling them through the ORM costs
several times as long as running them. The SQL and the value converters are worked out
once per connection; rows become model instances exactly as the ORM would make them."""

import functools
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.db.models.expressions import Col

from quiz.models import Answer, Attempt, HintUse, Quiz

# Per connection (one a thread): room for several threads' connections.
per_connection = functools.lru_cache(maxsize=64)


def table(db: BaseDatabaseWrapper, model: type[Model]) -> str:
    return db.ops.quote_name(model._meta.db_table)


def columns(db: BaseDatabaseWrapper, alias: str, model: type[Model]) -> str:
    fields = model._meta.concrete_fields
    return ", ".join(f"{alias}.{db.ops.quote_name(field.column)}" for field in fields)


@per_connection
def attempt_with_quiz_sql(db: BaseDatabaseWrapper) -> str:
    return (
        f"SELECT {columns(db, 'a', Attempt)}, {columns(db, 'q', Quiz)}"
        f" FROM {table(db, Attempt)} a JOIN {table(db, Quiz)} q ON q.id = a.quiz_id"
        " WHERE a.id = %s"
    )


@per_connection
def progress_sql(db: BaseDatabaseWrapper) -> str:
    return (
        f"SELECT question_id, choice_id FROM {table(db, Answer)} WHERE attempt_id = %s"
        f" UNION ALL SELECT question_id, NULL FROM {table(db, HintUse)} WHERE attempt_id = %s"
    )


@functools.lru_cache(maxsize=64)
def converters(db: BaseDatabaseWrapper, field: Field) -> tuple[Col, list]:
    column = field.get_col(field.model._meta.db_table)
    return column, db.ops.get_db_converters(column) + field.get_db_converters(db)


def from_row(db: BaseDatabaseWrapper, model: type[Model], values: Sequence[Any]) -> Model:
    """An instance from its concrete fields' column values, converted as the ORM would."""
    fields = model._meta.concrete_fields
    converted = []
    for field, value in zip(fields, values, strict=True):
        column, field_converters = converters(db, field)
        for converter in field_converters:
            value = converter(value, column, db)
        converted.append(value)
    return model.from_db(db.alias, [field.attname for field in fields], converted)


def attempt_with_quiz(pk: int) -> Attempt | None:
    """The attempt with its quiz loaded, as select_related("quiz") would, or None."""
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        cursor.execute(attempt_with_quiz_sql(db), [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(Attempt._meta.concrete_fields)
    attempt = from_row(db, Attempt, row[:split])
    attempt.quiz = from_row(db, Quiz, row[split:])
    return attempt


def progress_rows(attempt: Attempt) -> list[tuple[int, int | None]]:
    """One query for both: answers as (question, choice), revealed hints as (question, None)."""
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        cursor.execute(progress_sql(db), [attempt.pk, attempt.pk])
        return cursor.fetchall()
