"""What the benchmark loads (URLs and their goals) and how hard (a full or a short run)."""

import json
from dataclasses import dataclass
from pathlib import Path

from sandbox.catalogue import NAMES


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    method: str = "GET"
    body: str = ""
    content_type: str = ""
    goal: float | None = None  # the least share of the floor's requests per second wanted
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
    Target("lesson page, returning learner", "/lessons/why-cache/", goal=0.70),
    Target("lesson page, first visit", "/lessons/why-cache/", goal=0.70, cookies=False),
    Target(
        "quiz question step",
        "",
        goal=0.35,
        prime_from="/quiz/practice/",
        start_from="/quiz/practice/start/",
    ),
    Target(
        "sandbox API: set+get on 4 backends",
        "/sandbox/api/run",
        method="POST",
        body=SANDBOX_CALL,
        content_type="application/json",
        goal=0.25,
        prime_from="/sandbox/",
    ),
    Target("/lab/ report, warm django-redis", "/lab/?backend=django-redis"),
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


def load_targets(path: Path) -> list[Target]:
    """A JSON list of objects with Target's fields; the floor is always measured first."""
    targets = [Target(**item) for item in json.loads(path.read_text())]
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
