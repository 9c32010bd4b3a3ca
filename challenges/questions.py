"""What each kind of question asks, the inputs it takes, and the learner's predictions read
from a form or a JSON body (PredictionError, a 400, for anything else)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from challenges.models import FLAG_CHOICES, Kind, Question
from sandbox.calls import MAX_TIMEOUT
from sandbox.catalogue import backend_named
from sandbox.wire.commands import MEMCACHED_FLAGS

MAX_ROUND_TRIPS = 50
YES, NO = "yes", "no"

Predictions = dict[tuple[str, str], Any]  # (question name, backend) -> prediction


class PredictionError(ValueError):
    """Predictions that cannot be graded: what is wrong, for a 400."""


def prompt(question: Question) -> str:
    key = question.key
    return {
        Kind.VALUE: f"What does line {question.line} return on each backend, or which error "
        "does it raise?",
        Kind.ROUND_TRIPS: f"How many round trips to the server does line {question.line} take?",
        Kind.SEEN_ON_B: f"After the lines ran on app server A, does app server B see {key!r}?",
        Kind.TTL: f"How many seconds does {key!r} have left to live right after the lines ran?",
        Kind.FLAGS: f"Which client flags does Memcached store with {key!r}?",
    }[Kind(question.kind)]


@dataclass(frozen=True)
class Option:
    value: str
    label: str


def options(question: Question) -> list[Option]:
    """The answers offered for a choice question; [] for a number."""
    if question.kind == Kind.VALUE:
        return [Option(choice, choice) for choice in question.choice_list()]
    if question.kind == Kind.SEEN_ON_B:
        return [Option(YES, "Yes, B sees it"), Option(NO, "No, B does not")]
    if question.kind == Kind.FLAGS:
        return [Option(str(flag), f"{flag}: {MEMCACHED_FLAGS[flag]}") for flag in FLAG_CHOICES]
    return []


def number_range(question: Question) -> tuple[int, int]:
    return (0, MAX_TIMEOUT) if question.kind == Kind.TTL else (0, MAX_ROUND_TRIPS)


def allowed(question: Question) -> str:
    choices = options(question)
    if choices:
        return "one of " + ", ".join(repr(option.value) for option in choices)
    low, high = number_range(question)
    return f"a whole number from {low} to {high}"


def read_one(question: Question, raw: Any) -> Any:
    """One prediction as the grader compares it; PredictionError if it is not allowed."""
    if question.kind == Kind.SEEN_ON_B and isinstance(raw, bool):
        raw = YES if raw else NO
    choices = options(question)
    if choices:
        text = (
            str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else None
        )
        if text in {option.value for option in choices}:
            return int(text) if question.kind == Kind.FLAGS else text
        raise PredictionError(f"{question.name}: {raw!r} is not {allowed(question)}.")
    number = whole_number(raw)
    low, high = number_range(question)
    if number is None or not low <= number <= high:
        raise PredictionError(f"{question.name}: {raw!r} is not {allowed(question)}.")
    return number


def whole_number(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and raw.strip().isdigit() and len(raw.strip()) < 8:
        return int(raw.strip())
    return None


def read_predictions(questions: list[Question], given: Any) -> Predictions:
    """Every (question, backend) prediction from {"q1": {"redis": ..., ...}, ...}: all of
    them, each allowed; nothing else."""
    if not isinstance(given, Mapping):
        raise PredictionError(
            '"predictions" must be an object such as {"q1": {"redis": "True"}}: '
            f"questions {', '.join(question.name for question in questions)}."
        )
    by_name = {question.name: question for question in questions}
    unknown = [name for name in given if name not in by_name]
    if unknown:
        raise PredictionError(
            f"No question {unknown[0]!r} here: the questions are {', '.join(by_name)}."
        )
    predictions: Predictions = {}
    missing: list[str] = []
    for question in questions:
        answers = given.get(question.name, {})
        if not isinstance(answers, Mapping):
            raise PredictionError(f"{question.name}: give an object of backend: prediction.")
        wanted = question.backend_names()
        extra = [name for name in answers if name not in wanted]
        if extra:
            raise PredictionError(
                f"{question.name} asks about {', '.join(wanted)}, not {extra[0]!r}."
            )
        for name in wanted:
            raw = answers.get(name)
            if raw is None or raw == "":
                missing.append(f"{question.name} ({backend_named(name).label})")
                continue
            predictions[(question.name, name)] = read_one(question, raw)
    if missing:
        raise PredictionError(
            f"Predict every answer before running. Missing: {', '.join(missing)}."
        )
    return predictions


def form_predictions(questions: list[Question], data: Mapping[str, str]) -> dict[str, dict]:
    """A form's fields (q1-redis, ...) in the JSON API's shape."""
    return {
        question.name: {
            name: data.get(field_name(question, name), "") for name in question.backend_names()
        }
        for question in questions
    }


def field_name(question: Question, backend: str) -> str:
    return f"{question.name}-{backend}"
