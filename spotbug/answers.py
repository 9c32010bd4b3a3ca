"""Checking and keeping a learner's pick of the faulty line."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from learners.identity import Learner, hand_over_rows
from spotbug.models import Answer, Snippet


class NotALine(ValueError):
    pass


@dataclass(frozen=True)
class Score:
    found: int  # snippets whose bug the learner found
    first_try: int  # ... on their first pick
    answered: int
    total: int


def line_picked(snippet: Snippet, value: Any) -> int:
    """The line number a form sent, checked against the snippet."""
    count = len(snippet.lines)
    try:
        line = int(value)
    except (TypeError, ValueError):
        raise NotALine(f"Pick one of the lines 1 to {count}.") from None
    if not 1 <= line <= count:
        raise NotALine(f"Pick one of the lines 1 to {count}; there is no line {line}.")
    return line


def record_answer(learner: Learner, snippet: Snippet, line: int) -> Answer:
    right = line == snippet.faulty_line
    with transaction.atomic():
        answer = (
            Answer.objects.select_for_update().filter(learner.filter(), snippet=snippet).first()
        )
        if answer is None:
            return Answer.objects.create(
                snippet=snippet,
                line=line,
                right=right,
                first_try_right=right,
                **learner.owner_fields(),
            )
        answer.line, answer.right, answer.tries = line, right, answer.tries + 1
        answer.save(update_fields=["line", "right", "tries", "answered_at"])
    return answer


def answers_of(learner: Learner) -> dict[int, Answer]:
    """snippet pk -> the learner's answer."""
    if not learner.is_known:
        return {}
    return {answer.snippet_id: answer for answer in Answer.objects.filter(learner.filter())}


def score_of(learner: Learner) -> Score:
    answers = answers_of(learner).values()
    return Score(
        found=sum(answer.right for answer in answers),
        first_try=sum(answer.first_try_right for answer in answers),
        answered=len(answers),
        total=Snippet.objects.count(),
    )


def hand_over_answers(sender: Any, visitor: Learner, learner: Learner, **kwargs: Any) -> None:
    """At sign-in: the visitor's answers become the account's, except for snippets the account
    answered already."""
    hand_over_rows(Answer, visitor, learner, unique_by="snippet")
