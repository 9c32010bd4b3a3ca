"""The learner's last runs from the page: a capped Redis list in their namespace.

Kept in the site's Redis rather than the session, so a run writes one atomic LPUSH (plus
LTRIM and EXPIRE in the same round trip) and never rewrites the session. The list lives as
long as a session would; if Redis is down the history is simply not shown or kept.
"""

import json
import time
from typing import Any

import redis
from django.conf import settings
from django.core.cache import caches

from sandbox.registry import redis_client
from sandbox.results import Outcome, Run
from sitecache import guard
from sitecache.registry import SiteCache, describe

MAX_ENTRIES = 10
KEY = "sandbox:history:{namespace}"

describe(
    SiteCache(
        name="sandbox history",
        where="default (Redis)",
        stores=f"A learner's last {MAX_ENTRIES} sandbox runs (code and short results), as JSON.",
        key_shape=KEY.format(namespace="<learner namespace>"),
        timeout=settings.SESSION_COOKIE_AGE,
        invalidation="Each run pushes onto the list and trims it in one transaction.",
        why_safe=(
            "Not a copy of anything: the history lives only here, and losing it (Redis "
            "restarted empty) loses a convenience, never a learner's recorded work."
        ),
    )
)
MAX_SUMMARY_CHARS = 80
MAX_CODE_CHARS = 2000  # ten long runs must stay small to read


def history_key(namespace: str) -> str:
    return caches["default"].make_key(KEY.format(namespace=namespace))


def summary(outcome: Outcome) -> str:
    text = outcome.error if outcome.error else outcome.value or ""
    return text if len(text) <= MAX_SUMMARY_CHARS else text[: MAX_SUMMARY_CHARS - 3] + "..."


def entry(code: str, run: Run) -> dict[str, Any]:
    return {
        "at": time.time(),
        "code": code[:MAX_CODE_CHARS],
        "server": run.server,
        "backends": run.backends,
        "lines": [
            {
                "code": line.call.source,
                "results": [summary(line.outcomes[name]) for name in run.backends],
            }
            for line in run.lines
        ],
    }


def write(namespace: str, entries: list[dict[str, Any]], replace: bool = False) -> None:
    """Push `entries` (newest last) onto the learner's list, keeping the newest ten."""
    key = history_key(namespace)
    pipe = redis_client().pipeline(transaction=True)
    if replace:
        pipe.delete(key)
    if entries:
        pipe.lpush(key, *(json.dumps(item) for item in entries))
    pipe.ltrim(key, 0, MAX_ENTRIES - 1)
    pipe.expire(key, settings.SESSION_COOKIE_AGE)
    pipe.execute()


def record(namespace: str, code: str, run: Run) -> None:
    try:
        write(namespace, [entry(code, run)])
    except guard.FAILURES as error:  # logged at most once a minute
        guard.failed("default", error, "keeping a sandbox run in the learner's history")


def entries(namespace: str) -> list[dict[str, Any]]:
    """The learner's runs, newest first."""
    try:
        raw = redis_client().lrange(history_key(namespace), 0, MAX_ENTRIES - 1)
    except guard.FAILURES as error:  # logged at most once a minute
        guard.failed("default", error, "reading the learner's sandbox history")
        return []
    return [json.loads(item) for item in raw]


def clear(namespace: str) -> None:
    redis_client().delete(history_key(namespace))


def hand_over(visitor_namespace: str, namespace: str) -> None:
    """Merge a visitor's runs into a signed-in learner's, newest ten, none twice."""
    mine, theirs = entries(namespace), entries(visitor_namespace)
    if not theirs:
        return
    seen = {json.dumps(item, sort_keys=True) for item in mine}
    merged = mine + [item for item in theirs if json.dumps(item, sort_keys=True) not in seen]
    newest = sorted(merged, key=lambda item: item.get("at", 0), reverse=True)[:MAX_ENTRIES]
    write(namespace, list(reversed(newest)), replace=True)
    clear(visitor_namespace)


def prune(older_than: float, keep: set[str], dry_run: bool = False) -> int:
    """Delete the learners' run lists whose newest run is older than `older_than` (a Unix
    time), except those of the namespaces in `keep`; how many (would be) deleted. A run
    pushed while a list is looked at keeps it (WATCH)."""
    client = redis_client()
    prefix = history_key("")
    deleted = 0
    for key in client.scan_iter(match=history_key("*"), count=500):
        if key.decode().removeprefix(prefix) in keep:
            continue
        with client.pipeline() as pipe:
            try:
                pipe.watch(key)
                newest = pipe.lindex(key, 0)
                if newest is None or json.loads(newest).get("at", 0) >= older_than:
                    continue
                if not dry_run:
                    pipe.multi()
                    pipe.delete(key)
                    pipe.execute()
                deleted += 1
            except redis.WatchError:
                continue
    return deleted
