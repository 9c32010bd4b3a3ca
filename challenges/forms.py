"""The challenge page's questions as the template shows them: one input per backend, kept as
the learner typed it, and, after a run, the graded answers beside it."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from challenges.grading import Graded
from challenges.models import Question
from challenges.questions import Option, field_name, number_range, options, prompt
from sandbox.catalogue import backend_named


@dataclass
class Field:
    backend: str
    label: str
    name: str  # the form field: q1-redis
    options: list[Option]  # empty: a number input
    value: str
    low: int
    high: int


@dataclass
class FormQuestion:
    name: str
    prompt: str
    kind: str
    fields: list[Field]
    graded: list[Graded] = field(default_factory=list)


def form_questions(
    questions: list[Question], values: Mapping[str, Any], checked: Any = None
) -> list[FormQuestion]:
    graded = checked.graded if checked else []
    shown = []
    for question in questions:
        low, high = number_range(question)
        fields = [
            Field(
                backend,
                backend_named(backend).label,
                field_name(question, backend),
                options(question),
                str(values.get(field_name(question, backend), "")),
                low,
                high,
            )
            for backend in question.backend_names()
        ]
        mine = [one for one in graded if one.question == question.name]
        shown.append(FormQuestion(question.name, prompt(question), question.kind, fields, mine))
    return shown
