"""When an anonymous learner signs in, their attempts (finished and in progress) and the
hints they used move to the account, beside whatever the account already had.

Statistics count each learner's first attempt at a quiz once: if both the visitor and the
account have a first attempt at the same quiz, the one started earlier stays first and the
other becomes a retake.
"""

from typing import Any

from django.db import transaction
from django.db.models import Q

from learners.identity import Learner
from quiz.models import Attempt, Kind


def move_visitor_work(sender: Any, visitor: Learner, learner: Learner, **kwargs: Any) -> None:
    """Receiver of learners.identity.learner_signed_in."""
    if not visitor.is_known or not learner.is_signed_in:
        return
    with transaction.atomic():
        moving = Attempt.objects.select_for_update().filter(visitor.filter())
        moving_ids = list(moving.values_list("pk", flat=True))
        if not moving_ids:
            return
        keep_one_first_attempt_per_quiz(moving_ids, learner)
        Attempt.objects.filter(pk__in=moving_ids).update(user_id=learner.user_id, visitor="")


def keep_one_first_attempt_per_quiz(moving_ids: list[int], learner: Learner) -> list[int]:
    """Of the first attempts at each quiz (the account's and the moving ones), keep the one
    started earliest as first; the others become retakes. Returns those demoted."""
    firsts = (
        Attempt.objects.filter(Q(pk__in=moving_ids) | learner.filter())
        .filter(kind=Kind.QUIZ, is_first=True)
        .order_by("started_at", "pk")
        .values_list("pk", "quiz_id")
    )
    kept: set[int] = set()
    demoted = []
    for pk, quiz_id in firsts:
        if quiz_id in kept:
            demoted.append(pk)
        kept.add(quiz_id)
    Attempt.objects.filter(pk__in=demoted).update(is_first=False)
    return demoted
