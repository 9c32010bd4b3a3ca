"""The hub's view of Spot the bug (learn.modes): bugs found, and how many on the first try."""

from learn.modes import ModeState, Score
from learners.identity import Learner
from spotbug.answers import score_of


def state_for(learner: Learner) -> ModeState:
    score = score_of(learner)
    if not score.answered:
        return ModeState(total=score.total)
    return ModeState(
        summary=f"{score.found} of {score.total} bugs found",
        done=score.found,
        total=score.total,
        score=Score(score.first_try, score.answered),
    )
