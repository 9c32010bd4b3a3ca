"""What the benchmark loads (URLs, the round trips each page needs, its goal) and how hard
(a full or a short run).

A page's limit is the floor plus the round trips the page needs (`round_trips`, counted on
the real servers by tests/bench/test_page_round_trips.py so the figure cannot drift): the
cheapest page that does that much talking to the database, Redis and Memcached. The goal of
every page is LIMIT_GOAL of its own limit, measured in the same run.
"""

import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from bench.round_trips import RoundTrips
from sandbox.catalogue import NAMES

LIMIT_GOAL = 0.75


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    method: str = "GET"
    body: str = ""
    content_type: str = ""
    # The round trips one request makes once warm (None: no limit measured, no goal).
    round_trips: RoundTrips | None = None
    goal: float | None = None  # the least share of its limit's requests per second wanted
    prime_from: str = ""  # GET this first for the CSRF and session cookies a POST needs
    start_from: str = ""  # then POST this and load the page it redirects to (a quiz attempt)
    # Sent with the learner's cookies: every URL is loaded as one returning anonymous learner,
    # whose session (the quiz attempt) and CSRF cookie the quiz and sandbox primes give.
    # False: a first visit, no cookie at all.
    cookies: bool = True


FLOOR = Target("floor: minimal view, 2 KB", "/lab/floor")
SANDBOX_CALL = json.dumps(
    {"code": "cache.set('bench', 'value', timeout=300)\ncache.get('bench')", "backends": NAMES}
)
# The apps are built in parallel: a URL that does not exist yet is reported as such.
DEFAULT_TARGETS = [
    FLOOR,
    Target(
        "lesson page, returning learner",
        "/lessons/why-cache/",
        # the outline (the ETag) and the page kept for everyone; the session is never read
        round_trips=RoundTrips(db=1, redis=1),
        goal=LIMIT_GOAL,
    ),
    Target(
        "lesson page, first visit",
        "/lessons/why-cache/",
        round_trips=RoundTrips(db=1, redis=1),
        goal=LIMIT_GOAL,
        cookies=False,
    ),
    Target(
        "quiz question step",
        "",
        # the session (in the database now), the attempt, its answers and hints; the quiz's
        # content from the generational cache
        round_trips=RoundTrips(db=3, redis=1),
        goal=LIMIT_GOAL,
        prime_from="/quiz/practice/",
        start_from="/quiz/practice/start/",
    ),
    Target(
        "sandbox API: set+get on 4 backends",
        "/sandbox/api/run",
        method="POST",
        body=SANDBOX_CALL,
        content_type="application/json",
        round_trips=RoundTrips(db=1, redis=6, memcached=2),  # db: the session
        goal=LIMIT_GOAL,
        prime_from="/sandbox/",
    ),
    Target(
        "/lab/ report, warm django-redis",
        "/lab/?backend=django-redis",
        round_trips=RoundTrips(db=2, redis=1),  # the session and the learner's results
        goal=LIMIT_GOAL,
    ),
]
# The measurements behind the site's settings (CONN_MAX_AGE, the `default` cache backend).
ONE_QUERY = Target("floor + one 1-row SQLite query", "/lab/floor?probe=db")
SETTINGS_TARGETS = [
    ONE_QUERY,
    Target("floor + one cache.get, Django's RedisCache", "/lab/floor?probe=redis"),
    Target("floor + one cache.get, django-redis", "/lab/floor?probe=django-redis"),
    Target("floor + one cache.get, PyMemcacheCache", "/lab/floor?probe=memcached"),
]
NO_PERSISTENT_CONNECTIONS = [
    FLOOR,
    Target(f"{ONE_QUERY.name}, CONN_MAX_AGE=0", ONE_QUERY.path),
]


def limit_of(target: Target) -> Target | None:
    """The floor making the target's round trips (the floor itself for none)."""
    if target.round_trips is None:
        return None
    query = target.round_trips.floor_query()
    if not query:
        return FLOOR
    return Target(f"limit: floor + {target.round_trips}", f"{FLOOR.path}?{query}")


def target_of(item: dict[str, Any]) -> Target:
    known = {field.name for field in fields(Target)}
    unknown = set(item) - known
    if unknown:
        raise ValueError(f"Unknown target field(s) {', '.join(sorted(unknown))}.")
    if isinstance(item.get("round_trips"), dict):
        item = item | {"round_trips": RoundTrips(**item["round_trips"])}
    return Target(**item)


def load_targets(path: Path) -> list[Target]:
    """A JSON list of objects with Target's fields (`round_trips` an object such as
    {"db": 1, "redis": 2}); the floor is always measured first."""
    targets = [target_of(item) for item in json.loads(path.read_text())]
    return [FLOOR, *(target for target in targets if target.path != FLOOR.path)]


@dataclass(frozen=True)
class Load:
    """Each URL is loaded `rounds` times for `seconds`, each time right after the floor, and
    compared with that floor run: on a shared machine that keeps the ratios steadier than
    one long run each."""

    seconds: int = 1
    rounds: int = 4
    warm_up_seconds: int = 1
    threads: int = 2
    connections: int = 16
    workers: int = 2
    op_repeats: int = 5_000
    shop_orders: int = 20_000
    settings_series: bool = True


FULL = Load()
SHORT = Load(
    seconds=1,
    rounds=1,
    warm_up_seconds=0,
    threads=1,
    connections=4,
    op_repeats=200,
    shop_orders=300,
    settings_series=False,
)
