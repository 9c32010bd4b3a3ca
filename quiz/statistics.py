"""How learners answered each question on their FIRST attempt at a quiz.

Counted by one small grouped query whenever a feedback page or the admin shows them: a
count that changes with every first-attempt answer (and every hand-over at sign-in, and
every delete) is not worth caching.
"""

from dataclasses import dataclass

from django.db.models import Count

from quiz.models import Answer
from quiz.scoring import percent


def first_attempt_counts(question_id: int) -> dict[int, int]:
    """{choice pk: how many first attempts chose it} for one question."""
    rows = (
        Answer.objects.filter(question_id=question_id, attempt__is_first=True)
        .values_list("choice_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


@dataclass(frozen=True)
class OptionShare:
    count: int
    percent: int


def option_shares(counts: dict[int, int], choice_ids: list[int]) -> dict[int, OptionShare]:
    """Count and rounded percentage of first attempts for each option (0 when nobody yet)."""
    total = sum(counts.get(pk, 0) for pk in choice_ids)
    return {
        pk: OptionShare(counts.get(pk, 0), percent(counts.get(pk, 0), total)) for pk in choice_ids
    }


def share_correct(counts: dict[int, int], correct_ids: set[int]) -> OptionShare:
    """How many first attempts chose a correct option, and what share of all that answered."""
    total = sum(counts.values())
    right = sum(n for pk, n in counts.items() if pk in correct_ids)
    return OptionShare(right, percent(right, total))
