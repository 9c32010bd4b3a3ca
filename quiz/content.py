"""A quiz's questions with their options, solutions and steps, read on every quiz step.

Content changes only through the admin or loaddata, so each quiz's questions are kept
in the shared `default` cache and dropped whenever any content row is saved or deleted.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from quiz.models import Choice, Question, Quiz, Solution, Step

CONTENT_TIMEOUT = 3600  # a bound on staleness should the database be edited behind Django's back
CONTENT_MODELS = (Quiz, Question, Choice, Solution, Step)


def content_key(quiz_id: int) -> str:
    return f"quiz:content:{quiz_id}"


def quiz_content(quiz_id: int) -> list[Question]:
    """The quiz's questions in order, each with solution, choices and steps loaded."""
    key = content_key(quiz_id)
    questions = cache.get(key)
    if questions is None:
        questions = list(
            Question.objects.filter(quiz_id=quiz_id)
            .select_related("solution")
            .prefetch_related("choices", "steps")
            .order_by("order", "pk")
        )
        cache.set(key, questions, CONTENT_TIMEOUT)
    return questions


def forget_content(**_kwargs) -> None:
    """Drop every quiz's cached content: now, and again once the change is committed so
    that a request reading the old rows meanwhile cannot leave them cached."""

    def forget() -> None:
        cache.delete_many([content_key(pk) for pk in Quiz.objects.values_list("pk", flat=True)])

    forget()
    transaction.on_commit(forget)


def connect_signals() -> None:
    for model in CONTENT_MODELS:
        post_save.connect(forget_content, sender=model, dispatch_uid=f"quiz-content-{model}")
        post_delete.connect(forget_content, sender=model, dispatch_uid=f"quiz-content-d-{model}")
