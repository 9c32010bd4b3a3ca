"""Scoring and option order: plain functions on already-loaded objects, no queries."""

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from quiz.models import Difficulty

LETTERS = "ABCDEFGHIJ"


class Option(Protocol):
    pk: int
    is_correct: bool


class Scorable(Protocol):
    pk: int
    difficulty: str


OptionT = TypeVar("OptionT", bound=Option)


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass(frozen=True)
class Tally:
    correct: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return percent(self.correct, self.total)

    def __str__(self) -> str:
        return f"{self.correct}/{self.total}"

    def plus(self, correct: bool) -> "Tally":
        return Tally(self.correct + int(correct), self.total + 1)


@dataclass(frozen=True)
class Score:
    overall: Tally
    by_difficulty: dict[str, Tally] = field(default_factory=dict)

    def __str__(self) -> str:
        return str(self.overall)


def is_correct(choice: Option | None) -> bool:
    return choice is not None and choice.is_correct


def score(questions: Iterable[Scorable], chosen: Mapping[int, Option]) -> Score:
    """Score answers given as {question pk: chosen option}; an unanswered question is wrong.
    The breakdown lists the difficulties easy, medium, hard that the quiz has, in that order."""
    overall = Tally()
    tallies: dict[str, Tally] = {}
    for question in questions:
        right = is_correct(chosen.get(question.pk))
        overall = overall.plus(right)
        tallies[question.difficulty] = tallies.get(question.difficulty, Tally()).plus(right)
    ordered = {level: tallies[level] for level in Difficulty.values if level in tallies}
    return Score(overall, ordered)


def shuffled(options: Sequence[OptionT], attempt_id: int, question_id: int) -> list[OptionT]:
    """The options in an order of their own for this attempt and question: different
    between attempts, the same every time within one (a seeded shuffle, by pk first so the
    order the options were loaded in does not matter)."""
    ordered = sorted(options, key=lambda option: option.pk)
    random.Random(f"quiz:{attempt_id}:{question_id}").shuffle(ordered)
    return ordered


def lettered(options: Sequence[OptionT]) -> list[tuple[str, OptionT]]:
    """Letters for the options as shown. A letter names a position on this page only: the
    answer is always checked by option id."""
    return list(zip(LETTERS, options, strict=False))
