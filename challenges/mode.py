"""The hub's view of this mode (the interface is described in learn.modes)."""

from challenges.results import totals
from learn.modes import ModeState, Score
from learners.identity import Learner

# An estimate for "about how long": predicting a challenge's answers, running, reading why.
MINUTES_PER_CHALLENGE = 2


def state_for(learner: Learner) -> ModeState:
    found = totals(learner)
    minutes = max(1, found.challenges * MINUTES_PER_CHALLENGE)
    if not found.tried:
        return ModeState(total=found.challenges, minutes=minutes)
    score = Score(found.best_score, found.best_out_of)
    return ModeState(
        summary=f"{found.tried} of {found.challenges} tried · best {score.right} of "
        f"{score.out_of} predictions right ({score.percent}%)",
        done=found.tried,
        total=found.challenges,
        score=score,
        minutes=minutes,
    )
