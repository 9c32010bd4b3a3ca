"""How often each of the site's caches was hit, missed or skipped, in this process, since it
started: counted in memory (never in Redis), shown live at /lab/this-site/."""

import threading
import time
from collections import Counter

HIT = "hit"  # found in the cache
MISS = "miss"  # built from the database (and stored)
UNCACHED = "uncached"  # built from the database and not stored: no usable generation
SKIPPED = "skipped"  # the alias was failing: not even asked
ERROR = "error"  # the alias failed this time
BUMP = "bump"  # a writer moved the generation
OUTCOMES = (HIT, MISS, UNCACHED, SKIPPED, ERROR, BUMP)

STARTED = time.time()
_lock = threading.Lock()
_counts: Counter[tuple[str, str, str]] = Counter()


def count(alias: str, name: str, outcome: str) -> None:
    with _lock:
        _counts[(alias, name, outcome)] += 1


def counts() -> dict[tuple[str, str], dict[str, int]]:
    """(alias, cache name) -> {outcome: count}, every outcome present."""
    with _lock:
        items = list(_counts.items())
    table: dict[tuple[str, str], dict[str, int]] = {}
    for (alias, name, outcome), value in items:
        table.setdefault((alias, name), dict.fromkeys(OUTCOMES, 0))[outcome] = value
    return table


def by_alias() -> dict[str, dict[str, int]]:
    """alias -> {outcome: count} over every cache on it."""
    totals: dict[str, dict[str, int]] = {}
    for (alias, _name), outcomes in counts().items():
        row = totals.setdefault(alias, dict.fromkeys(OUTCOMES, 0))
        for outcome, value in outcomes.items():
            row[outcome] += value
    return totals
