"""A quiz's questions with their options, solutions and steps, read on every quiz step.

Content changes only through the admin or loaddata. Every change gives the content a new
version stamp, kept in the shared `default` cache, and drops each quiz's cached questions.
A quiz step reads only that small stamp: each process keeps the questions it last loaded
for each quiz, with the stamp they were loaded under, and loads them again (from the shared
cache, else the database) once the stamp has moved. So an edit saved through any app server
is seen by every app server on its next request, and no step unpickles the whole quiz.
"""

import secrets

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from quiz.models import Choice, Question, Quiz, Solution, Step

CONTENT_TIMEOUT = 3600  # a bound on staleness should the database be edited behind Django's back
CONTENT_MODELS = (Quiz, Question, Choice, Solution, Step)
VERSION_KEY = "quiz:content:version"

# quiz id -> (version stamp, questions): this process's copy, checked against the stamp.
_loaded: dict[int, tuple[str, list[Question]]] = {}


def content_key(quiz_id: int) -> str:
    return f"quiz:content:{quiz_id}"


def content_version() -> str:
    """The shared stamp of the current content; a new one if it expired or was evicted."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), CONTENT_TIMEOUT)
        version = cache.get(VERSION_KEY)
    return version


def quiz_content(quiz_id: int) -> list[Question]:
    """The quiz's questions in order, each with solution, choices and steps loaded.
    Shared by every request of this process: read them, never change them."""
    return versioned_content(quiz_id)[1]


def versioned_content(quiz_id: int) -> tuple[str, list[Question]]:
    """The quiz's questions with the version stamp they belong to."""
    version = content_version()  # before the rows, so rows read later are never older
    loaded = _loaded.get(quiz_id)
    if loaded is None or loaded[0] != version:
        loaded = _loaded[quiz_id] = (version, shared_content(quiz_id, version))
    return loaded


def shared_content(quiz_id: int, version: str) -> list[Question]:
    """The questions from the shared cache when stored under this version, else the database."""
    key = content_key(quiz_id)
    stored = cache.get(key)
    if stored is not None and stored[0] == version:
        return stored[1]
    questions = list(
        Question.objects.filter(quiz_id=quiz_id)
        .select_related("solution")
        .prefetch_related("choices", "steps")
        .order_by("order", "pk")
    )
    cache.set(key, (version, questions), CONTENT_TIMEOUT)
    return questions


def forget_content(**_kwargs) -> None:
    """Move the version stamp and drop every quiz's cached content: now, and again once the
    change is committed so that a request reading the old rows meanwhile cannot leave them
    in use."""

    def forget() -> None:
        cache.set(VERSION_KEY, secrets.token_hex(8), CONTENT_TIMEOUT)
        cache.delete_many([content_key(pk) for pk in Quiz.objects.values_list("pk", flat=True)])

    forget()
    transaction.on_commit(forget)


def connect_signals() -> None:
    for model in CONTENT_MODELS:
        post_save.connect(forget_content, sender=model, dispatch_uid=f"quiz-content-{model}")
        post_delete.connect(forget_content, sender=model, dispatch_uid=f"quiz-content-d-{model}")
