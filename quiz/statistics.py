"""How learners answered each question on their FIRST attempt at a quiz.

Counts are read on every feedback page, so they live in the site's shared `default`
cache and are dropped whenever a first-attempt answer to that question is recorded.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count

from quiz.models import Answer
from quiz.scoring import percent


def counts_key(question_id: int) -> str:
    return f"quiz:first-attempt-counts:{question_id}"


def first_attempt_counts(question_id: int) -> dict[int, int]:
    """{choice pk: how many first attempts chose it} for one question (cached)."""
    key = counts_key(question_id)
    counts = cache.get(key)
    if counts is None:
        rows = (
            Answer.objects.filter(question_id=question_id, attempt__is_first=True)
            .values_list("choice_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        counts = dict(rows)
        cache.set(key, counts, timeout=None)
    return counts


def forget_counts(question_id: int) -> None:
    """Drop the cached counts once the answer that changes them is committed."""
    transaction.on_commit(lambda: cache.delete(counts_key(question_id)))


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
