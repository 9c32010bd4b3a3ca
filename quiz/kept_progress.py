"""A learner's place in an attempt, kept in the shared `default` cache between quiz steps.

Without it a step costs two queries: the attempt with its quiz, then its answers and hints.
What is kept is what those queries return, under the attempt's number, and a step trusts it
only when both hold:
- the learner asking owns the kept attempt (anyone else goes to the database, which decides:
  a stranger still gets a 404, an owner whose attempt moved to their account at sign-in gets
  it from the database);
- it was read with the current quiz content version (kept beside it, under VERSION_KEY, and
  dropped by every content edit: quiz.content).

Every write to an attempt (an answer, a hint, the finish, the hand-over at sign-in, the admin)
drops it, at once and again on commit, so a step that read the database while the write was
in flight cannot leave the old state behind. Writes never trust it: they read the database.
With Redis down every step reads the database; a drop lost while Redis was unreachable is
bounded by KEPT_TIMEOUT, and at worst shows a question already answered, whose answer the
database then refuses.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from learners.identity import Learner
from quiz.content import VERSION_KEY
from quiz.models import Answer, Attempt, AttemptQuestion, HintUse, Quiz

KEPT_TIMEOUT = 600
# How long the current content version is trusted without an edit dropping it: bounds a
# stale version stored by a step that read the database while an edit committed.
VERSION_TIMEOUT = 60


@dataclass(frozen=True)
class Kept:
    attempt: Attempt  # with its quiz and lesson loaded
    quizzes: list[Quiz]  # whose questions it asks, with the content version they were read at
    question_ids: list[int] | None  # a made-up set's questions in order; None: the quiz's
    chosen: dict[int, int]  # question id -> chosen option id
    hinted: set[int]  # questions whose hint was revealed

    @property
    def content_versions(self) -> set[str]:
        return {quiz.content_version for quiz in self.quizzes}


def kept_key(attempt_id: int) -> str:
    return f"quiz:progress:{attempt_id}"


def kept_progress(learner: Learner, attempt_id: int) -> Kept | None:
    """The kept progress, if the learner owns it and it is as of the current content."""
    found = cache.get_many([kept_key(attempt_id), VERSION_KEY])
    kept, version = found.get(kept_key(attempt_id)), found.get(VERSION_KEY)
    if kept is None or version is None or kept.content_versions != {version}:
        return None
    return kept if learner.owns(kept.attempt) else None


def keep_progress(kept: Kept) -> None:
    """Keep progress just read from the database (and its content version, unless an edit
    has already stored a newer one)."""
    versions = kept.content_versions
    if len(versions) == 1:
        cache.add(VERSION_KEY, next(iter(versions)), VERSION_TIMEOUT)
    cache.set(kept_key(kept.attempt.pk), kept, KEPT_TIMEOUT)


def forget_progress(*attempt_ids: int) -> None:
    """Drop the kept progress of attempts being written to: now, and again on commit."""
    keys = [kept_key(pk) for pk in attempt_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def forget_written(sender, instance, **_kwargs) -> None:
    attempt_id = instance.pk if sender is Attempt else instance.attempt_id
    if attempt_id is not None:
        forget_progress(attempt_id)


def connect_signals() -> None:
    """Saves and deletes through the ORM (the quiz's own writes, the admin, cascades);
    the quiz's update() calls drop the kept progress themselves."""
    for model in (Attempt, Answer, HintUse, AttemptQuestion):
        uid = f"quiz-kept-progress-{model.__name__}"
        post_save.connect(forget_written, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(forget_written, sender=model, dispatch_uid=f"{uid}-delete")
