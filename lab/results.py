"""Keep each learner's latest figures (and everyone's latest, for the lessons).

Rows in the database are the record; each learner's latest set is also kept in the
shared cache under their namespace, so the /lab/ page reads it without a query
(cache-aside again).
"""

from typing import Any

from django.core.cache import caches

from lab.models import Result
from learners.identity import Learner, hand_over_rows

LEARNER_RESULTS_TIMEOUT = 24 * 3600


def _cache_key(learner: Learner) -> str:
    return f"lab:results:{learner.namespace}"


def save_result(kind: str, learner: Learner, figures: dict[str, Any]) -> Result:
    result = Result.objects.create(kind=kind, figures=figures, **learner.owner_fields())
    # Keep one row per learner and kind: the latest.
    Result.objects.filter(learner.filter(), kind=kind).exclude(pk=result.pk).delete()
    caches["default"].delete(_cache_key(learner))
    return result


def learner_results(learner: Learner) -> dict[str, dict[str, Any]]:
    """kind -> figures of this learner's latest run of each experiment."""
    if not learner.is_known:
        return {}
    cache = caches["default"]
    key = _cache_key(learner)
    found = cache.get(key)
    if found is None:
        found = {row.kind: row.figures for row in Result.objects.filter(learner.filter())}
        cache.set(key, found, LEARNER_RESULTS_TIMEOUT)
    return found


def hand_over_results(sender: Any, visitor: Learner, learner: Learner, **kwargs: Any) -> None:
    """At sign-in (learners.identity.learner_signed_in): the visitor's results become the
    account's, except for experiments the account already has a result of (kept as it is)."""
    hand_over_rows(Result, visitor, learner, unique_by="kind")
    caches["default"].delete_many([_cache_key(visitor), _cache_key(learner)])


def latest_results() -> dict[str, Result]:
    """kind -> everyone's latest run of each experiment."""
    latest: dict[str, Result] = {}
    for kind in Result.Kind.values:
        row = Result.objects.filter(kind=kind).first()
        if row is not None:
            latest[kind] = row
    return latest
