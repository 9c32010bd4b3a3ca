"""Keep each learner's latest figures (and everyone's latest, for the lessons).

Rows in the database are the record; each learner's latest set is also kept in the
shared cache, so the /lab/ page reads it without a query (cache-aside again).
"""

from typing import Any

from django.core.cache import caches

from lab.models import Result

LEARNER_RESULTS_TIMEOUT = 24 * 3600


def _learner_key(learner: str) -> str:
    return f"lab:results:{learner}"


def save_result(kind: str, learner: str, figures: dict[str, Any]) -> Result:
    result = Result.objects.create(kind=kind, learner=learner, figures=figures)
    # Keep one row per learner and kind: the latest.
    Result.objects.filter(kind=kind, learner=learner).exclude(pk=result.pk).delete()
    caches["default"].delete(_learner_key(learner))
    return result


def learner_results(learner: str | None) -> dict[str, dict[str, Any]]:
    """kind -> figures of this learner's latest run of each experiment."""
    if learner is None:
        return {}
    cache = caches["default"]
    key = _learner_key(learner)
    found = cache.get(key)
    if found is None:
        found = {row.kind: row.figures for row in Result.objects.filter(learner=learner)}
        cache.set(key, found, LEARNER_RESULTS_TIMEOUT)
    return found


def latest_results() -> dict[str, Result]:
    """kind -> everyone's latest run of each experiment."""
    latest: dict[str, Result] = {}
    for kind in Result.Kind.values:
        row = Result.objects.filter(kind=kind).first()
        if row is not None:
            latest[kind] = row
    return latest
