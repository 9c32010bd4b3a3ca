"""Keep each learner's latest figures (and everyone's latest, for the lessons).

Rows in the database are the record, read by one small query when the /lab/ page shows them
(not cached: they change with every experiment the learner runs).
"""

from typing import Any

from lab.models import Result
from learners.identity import Learner, hand_over_rows


def save_result(kind: str, learner: Learner, figures: dict[str, Any]) -> Result:
    result = Result.objects.create(kind=kind, figures=figures, **learner.owner_fields())
    # Keep one row per learner and kind: the latest.
    Result.objects.filter(learner.filter(), kind=kind).exclude(pk=result.pk).delete()
    return result


def learner_results(learner: Learner) -> dict[str, dict[str, Any]]:
    """kind -> figures of this learner's latest run of each experiment."""
    if not learner.is_known:
        return {}
    return {row.kind: row.figures for row in Result.objects.filter(learner.filter())}


def hand_over_results(sender: Any, visitor: Learner, learner: Learner, **kwargs: Any) -> None:
    """At sign-in (learners.identity.learner_signed_in): the visitor's results become the
    account's, except for experiments the account already has a result of (kept as it is)."""
    hand_over_rows(Result, visitor, learner, unique_by="kind")


def latest_results() -> dict[str, Result]:
    """kind -> everyone's latest run of each experiment."""
    latest: dict[str, Result] = {}
    for kind in Result.Kind.values:
        row = Result.objects.filter(kind=kind).first()
        if row is not None:
            latest[kind] = row
    return latest
