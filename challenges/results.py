"""Each learner's result per challenge (latest and best), kept in the database, moved at
sign-in like the rest of their work, and summed up for /progress/ and the hub."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from challenges.models import Challenge, Result
from learners.identity import Learner, hand_over_rows


def better(score: int, out_of: int, than_score: int, than_out_of: int) -> bool:
    """A higher share right; on a tie, more predictions graded."""
    if out_of == 0:
        return False
    if than_out_of == 0:
        return True
    return (score * than_out_of, out_of) > (than_score * out_of, than_out_of)


def record(learner: Learner, challenge: Challenge, score: int, out_of: int) -> None:
    """Keep this run's score as the latest, and as the best if it is; a run in which
    nothing could be graded is not recorded."""
    if out_of == 0:
        return
    for _ in range(2):  # a first result saved at the same moment from another tab: retry
        try:
            with transaction.atomic():
                _record(learner, challenge, score, out_of)
            return
        except IntegrityError:
            continue


def _record(learner: Learner, challenge: Challenge, score: int, out_of: int) -> None:
    row = Result.objects.select_for_update().filter(learner.filter(), challenge=challenge).first()
    if row is None:
        Result.objects.create(
            challenge=challenge,
            score=score,
            out_of=out_of,
            best_score=score,
            best_out_of=out_of,
            **learner.owner_fields(),
        )
        return
    row.score, row.out_of, row.runs = score, out_of, F("runs") + 1
    if better(score, out_of, row.best_score, row.best_out_of):
        row.best_score, row.best_out_of = score, out_of
    row.save()


def hand_over_results(sender: Any, visitor: Learner, learner: Learner, **kwargs: Any) -> None:
    """At sign-in: the visitor's results become the account's; for a challenge the account
    already has a result of, the account's is kept."""
    hand_over_rows(Result, visitor, learner, unique_by="challenge_id")


@dataclass(frozen=True)
class ChallengeProgress:
    title: str
    url: str
    lesson_title: str
    result: Result | None

    @property
    def tried(self) -> bool:
        return self.result is not None


def challenge_progress(learner: Learner) -> list[ChallengeProgress]:
    """Every challenge in order, with this learner's result (None: not tried yet)."""
    results = {row.challenge_id: row for row in Result.objects.filter(learner.filter())}
    return [
        ChallengeProgress(
            challenge.title,
            challenge.get_absolute_url(),
            challenge.lesson.title,
            results.get(challenge.pk),
        )
        for challenge in Challenge.objects.select_related("lesson")
    ]


@dataclass(frozen=True)
class Totals:
    challenges: int
    tried: int
    best_score: int
    best_out_of: int
    last_checked: datetime | None


def totals(learner: Learner) -> Totals:
    rows = list(Result.objects.filter(learner.filter()))
    return Totals(
        challenges=Challenge.objects.count(),
        tried=len(rows),
        best_score=sum(row.best_score for row in rows),
        best_out_of=sum(row.best_out_of for row in rows),
        last_checked=max((row.checked_at for row in rows), default=None),
    )
