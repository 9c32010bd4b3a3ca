"""The hub's view of flashcards (learn.modes): cards due now, cards reviewed."""

from django.utils import timezone

from flashcards.scheduling import queue_of
from learn.modes import ModeState
from learners.identity import Learner


def state_for(learner: Learner) -> ModeState:
    if not learner.is_known:
        return ModeState()
    queue = queue_of(learner, timezone.now())
    reviewed = queue.total - queue.new
    if not reviewed:
        return ModeState(total=queue.total)
    summary = f"{queue.due} due now, {reviewed} of {queue.total} cards reviewed"
    return ModeState(summary=summary, done=reviewed, total=queue.total, due=queue.due)
