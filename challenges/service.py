"""The one code path behind the challenge page's Run and the JSON API: read the predictions,
run the challenge live as the learner, grade, keep the result."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from challenges import results
from challenges.grading import Graded, grade, score
from challenges.models import Challenge, Question
from challenges.questions import PredictionError, read_predictions
from challenges.running import Observed, run_challenge
from learners.identity import learner_of
from sandbox.service import SandboxError
from sandbox.timing import Timings


@dataclass
class Checked:
    graded: list[Graded]
    score: int
    out_of: int
    observed: Observed
    read_url: str

    @property
    def not_graded(self) -> int:
        return sum(one.right is None for one in self.graded)

    def as_dict(self) -> dict[str, Any]:
        return {
            "graded": [one.as_dict() for one in self.graded],
            "score": self.score,
            "out_of": self.out_of,
            "not_graded": self.not_graded,
            "read": self.read_url,
        }


def questions_of(challenge: Challenge) -> list[Question]:
    return list(challenge.questions.all())


def check(request: HttpRequest, challenge: Challenge, given: Any, timings: Timings) -> Checked:
    """SandboxError (with its status) for bad predictions or a limit reached; nothing runs
    until every prediction is in."""
    questions = questions_of(challenge)
    try:
        predictions = read_predictions(questions, given)
    except PredictionError as error:
        raise SandboxError(str(error), 400) from None
    observed = run_challenge(request, challenge.code, questions, timings)
    graded = grade(questions, predictions, observed)
    right, out_of = score(graded)
    results.record(learner_of(request), challenge, right, out_of)
    return Checked(graded, right, out_of, observed, challenge.read_url())
