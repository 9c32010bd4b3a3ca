"""A quiz's questions with their options, solutions and steps, read on every quiz step.

Content changes only through the admin or loadcontent. Every change gives each quiz a new
`content_version`, in the same transaction as the change (so it is seen exactly when the
change is), and drops each quiz's questions from the shared `default` cache. A quiz step
reads the version with the quiz itself, in the query that loads the attempt: each process
keeps the questions it last loaded for each quiz, with the version they belong to, and
loads them again (from the shared cache, else the database) once the version has moved.
So an edit saved through any app server is seen by every app server on its next request,
and a step neither unpickles the whole quiz nor makes a cache round trip for it.
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from lessons.models import Lesson
from quiz.links import add_links
from quiz.models import Choice, Question, Quiz, Solution, Step, new_content_version

# A bound on staleness should the database be edited behind Django's back.
CONTENT_TIMEOUT = 3600
# Lesson: a question links to its lesson by title.
CONTENT_MODELS = (Quiz, Question, Choice, Solution, Step, Lesson)

# The current content version (every edit gives all quizzes the same new one), kept in the
# shared cache for the steps that do not read the quiz from the database (quiz.kept_progress).
VERSION_KEY = "quiz:content-version"

# quiz id -> (content version, when loaded, questions): this process's copy.
_loaded: dict[int, tuple[str, float, list[Question]]] = {}


def content_key(quiz_id: int) -> str:
    return f"quiz:content:{quiz_id}"


def quiz_content(quiz: Quiz) -> list[Question]:
    """The quiz's questions in order, each with solution, choices and steps loaded, as of
    the quiz's content_version. Shared by every request of this process: read them, never
    change them."""
    version = quiz.content_version
    loaded = _loaded.get(quiz.pk)
    if loaded is None or loaded[0] != version or time.monotonic() - loaded[1] > CONTENT_TIMEOUT:
        loaded = _loaded[quiz.pk] = (version, time.monotonic(), shared_content(quiz.pk, version))
    return loaded[2]


def shared_content(quiz_id: int, version: str) -> list[Question]:
    """The questions from the shared cache when stored under this version, else the database
    (read after the version, so never older than it)."""
    key = content_key(quiz_id)
    stored = cache.get(key)
    if stored is not None and stored[0] == version:
        return stored[1]
    questions = load_questions(Question.objects.filter(quiz_id=quiz_id).order_by("order", "pk"))
    for question in questions:
        question.content_version = version  # keys the fragments rendered from it
    cache.set(key, (version, questions), CONTENT_TIMEOUT)
    return questions


def load_questions(questions: QuerySet[Question]) -> list[Question]:
    """The questions with everything a step, its feedback and the results show."""
    loaded = list(questions.select_related("solution").prefetch_related("choices", "steps"))
    add_links(loaded)
    return loaded


def set_content(quizzes: list[Quiz], question_ids: list[int]) -> list[Question]:
    """Questions from several quizzes (a made-up set), in the order given, from each quiz's
    kept content."""
    by_id = {question.pk: question for quiz in quizzes for question in quiz_content(quiz)}
    return [by_id[pk] for pk in question_ids if pk in by_id]


def forget_content(**_kwargs) -> None:
    """Give every quiz a new content version and drop their cached questions. A request that
    read the old rows meanwhile can only store them under the old version, never used again.
    The current version is dropped at once and again on commit, so that no step keeps the old
    one as current."""
    Quiz.objects.update(content_version=new_content_version())
    cache.delete_many([content_key(pk) for pk in Quiz.objects.values_list("pk", flat=True)])
    cache.delete(VERSION_KEY)
    transaction.on_commit(lambda: cache.delete(VERSION_KEY))


def connect_signals() -> None:
    for model in CONTENT_MODELS:
        post_save.connect(forget_content, sender=model, dispatch_uid=f"quiz-content-{model}")
        post_delete.connect(forget_content, sender=model, dispatch_uid=f"quiz-content-d-{model}")
