"""Grade each prediction against what the backends actually did and what crossed the wire.

There is no answer key: the actual answer of every (question, backend) is read from the run
(challenges.running.Observed). A backend that could not be run or read (its server down) is
not graded: its predictions are neither right nor wrong, and say why.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from challenges.held import Held
from challenges.models import Kind, Question
from challenges.questions import NO, YES, Predictions
from challenges.running import Observed, outcome_of
from sandbox.catalogue import backend_named
from sandbox.results import LineResult, Outcome
from sandbox.wire.commands import MEMCACHED_FLAGS

NOT_GRADED = "This part cannot be graded now, so nothing is marked wrong: run it again later."
# "ValueError: ..." is the backend's own error; a sandbox refusal (a cap) has no such type.
BACKEND_ERROR = re.compile(r"^([A-Za-z_][\w.]*): ")
NEVER, ABSENT = "never expires", "not stored"


class NotGradable(Exception):
    """This answer cannot be read from the run: the message says why."""


@dataclass
class Graded:
    question: str  # q1, q2...
    backend: str
    predicted: Any
    actual: Any  # None when not graded
    right: bool | None  # None: not graded
    why: str
    wire: list[str] = field(default_factory=list)  # the commands that explain the answer
    explanations: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "backend": self.backend,
            "predicted": self.predicted,
            "actual": self.actual,
            "right": self.right,
            "why": self.why,
            "wire": self.wire,
            "explanations": self.explanations,
        }


@dataclass
class Answer:
    actual: Any
    why: str
    wire: list[str] = field(default_factory=list)
    explanations: list[dict[str, str]] = field(default_factory=list)


def grade(questions: list[Question], predictions: Predictions, observed: Observed) -> list[Graded]:
    graded = []
    for question in questions:
        for backend in question.backend_names():
            predicted = predictions[(question.name, backend)]
            graded.append(grade_one(question, backend, predicted, observed))
    return graded


def grade_one(question: Question, backend: str, predicted: Any, observed: Observed) -> Graded:
    name = question.name
    down = observed.unavailable.get(backend)
    if down:
        return Graded(name, backend, predicted, None, None, f"{down} {NOT_GRADED}")
    try:
        answer = ANSWERS[Kind(question.kind)](question, backend, observed)
    except NotGradable as reason:
        return Graded(name, backend, predicted, None, None, f"{reason} {NOT_GRADED}")
    right = matches(question, predicted, answer.actual)
    return Graded(
        name, backend, predicted, answer.actual, right, answer.why, answer.wire, answer.explanations
    )


def matches(question: Question, predicted: Any, actual: Any) -> bool:
    if question.kind == Kind.TTL:
        return isinstance(actual, int) and abs(predicted - actual) <= question.tolerance
    return predicted == actual


# -- one function per kind: the actual answer and why -----------------------------------------
def label(backend: str) -> str:
    return backend_named(backend).label


def wire_lines(outcome: Outcome) -> list[str]:
    """What crossed the wire for the learner's call (LocMem has no wire: its `instead`
    sentence goes into the why)."""
    return list(outcome.wire.commands)


def explanations_for(line: LineResult, backend: str) -> list[dict[str, str]]:
    return [
        {"explanation": row["explanation"], "source": row["source"]}
        for row in line.differences
        if backend in row["backends"]
    ]


def checked(outcome: Outcome) -> Outcome:
    """The outcome, unless the sandbox refused the call rather than the backend answering."""
    if outcome.error and not BACKEND_ERROR.match(outcome.error):
        raise NotGradable(outcome.error)
    return outcome


def shown(outcome: Outcome) -> str:
    """A line's answer as the choices write it."""
    if outcome.error:
        return f"raises {BACKEND_ERROR.match(outcome.error).group(1)}"
    return outcome.value


def value_answer(question: Question, backend: str, observed: Observed) -> Answer:
    line = observed.line(question.line)
    outcome = checked(line.outcomes[backend])
    did = f"raised {outcome.error}" if outcome.error else f"returned {outcome.value}"
    extras = [*outcome.warnings, *outcome.set_elsewhere, *outcome.notes]
    why = " ".join([f"{label(backend)} {did}.", *extras])
    return Answer(shown(outcome), why, wire_lines(outcome), explanations_for(line, backend))


def round_trips_answer(question: Question, backend: str, observed: Observed) -> Answer:
    line = observed.line(question.line)
    outcome = checked(outcome_of(observed, question, backend))
    trips = outcome.wire.round_trips
    if outcome.wire.instead:
        why = f"{label(backend)} lives in the app server's own process. {outcome.wire.instead}"
    elif not outcome.wire.commands:
        why = f"{label(backend)} sent nothing: the call failed before reaching the server."
    else:
        why = (
            f"{label(backend)} sent {len(outcome.wire.commands)} command"
            f"{'s' if len(outcome.wire.commands) != 1 else ''} and waited for the server's "
            f"answer {trips} time{'s' if trips != 1 else ''}."
        )
    return Answer(trips, why, wire_lines(outcome), explanations_for(line, backend))


def seen_on_b_answer(question: Question, backend: str, observed: Observed) -> Answer:
    outcome = observed.on_b[question.key].lines[0].outcomes[backend]
    if outcome.error:
        raise NotGradable(f"B's has_key() failed: {outcome.error}")
    seen = outcome.value == "True"
    shared = backend_named(backend).shared
    if shared and seen:
        why = (
            f"{label(backend)}: A and B talk to the same server, so B's has_key() found what A "
            "stored."
        )
    elif shared:
        why = (
            f"{label(backend)}: B asked the same server A wrote to, and the key was not there: "
            "the lines on A did not leave it stored (look at their answers)."
        )
    else:
        why = (
            f"{label(backend)}: A stored the key in the memory of its own process "
            f"({observed.run.process}); app server B has a LocMem store of its own and never "
            "sees it. Every gunicorn worker or machine is such a process."
        )
    return Answer(YES if seen else NO, why, wire_lines(outcome))


def key_wire(observed: Observed, key: str, backend: str) -> tuple[list[str], list[dict]]:
    """The commands and explanations of the lines that name `key`."""
    wire: list[str] = []
    explanations: list[dict] = []
    for line in observed.run.lines:
        if key in line.call.named_keys():
            wire += wire_lines(line.outcomes[backend])
            explanations += explanations_for(line, backend)
    return wire, explanations


def held_of(observed: Observed, backend: str, key: str) -> Held:
    found = observed.held.get((backend, key))
    if found is None:
        raise NotGradable(f"What {label(backend)} holds for {key!r} was not read.")
    return found


def ttl_answer(question: Question, backend: str, observed: Observed) -> Answer:
    found = held_of(observed, backend, question.key)
    wire, explanations = key_wire(observed, question.key, backend)
    if not found.present:
        actual, why = ABSENT, f"{label(backend)} holds nothing under {question.key!r}."
    elif found.ttl is None:
        actual, why = NEVER, f"{label(backend)} holds {question.key!r} with no expiry."
    else:
        actual = round(found.ttl)
        why = f"{label(backend)} holds {question.key!r} with {found.ttl:.1f} s left."
    return Answer(actual, why, wire, explanations)


def flags_answer(question: Question, backend: str, observed: Observed) -> Answer:
    found = held_of(observed, backend, question.key)
    wire, explanations = key_wire(observed, question.key, backend)
    if not found.present:
        return Answer(ABSENT, f"Memcached holds nothing under {question.key!r}.", wire)
    meaning = MEMCACHED_FLAGS.get(found.flags, "flags pymemcache's serde does not set")
    why = (
        f"Memcached stores {question.key!r} with client flags {found.flags} ({meaning}): "
        "pymemcache's serde chose them from the value's type and sent them with the value."
    )
    return Answer(found.flags, why, wire, explanations)


ANSWERS = {
    Kind.VALUE: value_answer,
    Kind.ROUND_TRIPS: round_trips_answer,
    Kind.SEEN_ON_B: seen_on_b_answer,
    Kind.TTL: ttl_answer,
    Kind.FLAGS: flags_answer,
}


def score(graded: list[Graded]) -> tuple[int, int]:
    """(right, graded): predictions not graded count for neither."""
    return sum(one.right is True for one in graded), sum(one.right is not None for one in graded)
