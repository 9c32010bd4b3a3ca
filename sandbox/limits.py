"""Calls per learner (and per client address) per minute, counted in the shared Redis.

One command per request, sent in the same round trip as the learner's key lists: a small Lua
script counts the learner's window and the address's window atomically (the address limit
stops a script that drops its session cookie to get a fresh namespace and a fresh
allowance). If Redis is down the limit fails open: the sandbox's own caps still bound what
any request can store, and the Redis columns say Redis is down.
"""

import logging
import time

import redis
from django.conf import settings
from django.core.cache import caches

from ops import limits as shared_limits
from sitecache import guard
from sitecache.registry import SiteCache, describe

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
LEARNER_KEY = "sandbox:rate:learner:{namespace}:{window}"
ADDRESS_KEY = "sandbox:rate:address:{address}:{window}"

describe(
    SiteCache(
        name="sandbox rate limits",
        where="default (Redis)",
        stores="How many calls a learner, and a client address, ran in one minute's window.",
        key_shape=(
            f"{LEARNER_KEY.format(namespace='<learner namespace>', window='<minute>')} and "
            f"{ADDRESS_KEY.format(address='<address>', window='<minute>')}"
        ),
        timeout=WINDOW_SECONDS * 2,
        invalidation="None needed: each minute has its own key, which expires.",
        why_safe=(
            "Not a copy of anything: the counters themselves, counted atomically by one Lua "
            "script. With Redis failing the limit fails open (logged): the sandbox's own caps "
            "still bound what any call can store."
        ),
    )
)


class RateLimited(Exception):
    pass


def limits() -> tuple[int, int]:
    return (
        settings.SANDBOX_CALLS_PER_MINUTE,
        settings.SANDBOX_CALLS_PER_MINUTE_PER_ADDRESS,
    )


def queue_count(pipe: redis.client.Pipeline, namespace: str, address: str, calls: int) -> None:
    """Add the count of `calls` against both windows to a pipeline; `check` reads its answer."""
    cache = caches["default"]
    window = int(time.time() // WINDOW_SECONDS)
    learner_key = cache.make_key(LEARNER_KEY.format(namespace=namespace, window=window))
    address_key = cache.make_key(ADDRESS_KEY.format(address=address, window=window))
    shared_limits.queue_count(pipe, [learner_key, address_key], calls, WINDOW_SECONDS)


def check(answer: list | Exception | None) -> None:
    """RateLimited when either count is over its limit; a failed count lets the run go."""
    if not isinstance(answer, list):
        if isinstance(answer, BaseException):  # logged at most once a minute, Redis skipped
            guard.failed("default", answer, "counting sandbox calls (the limit fails open)")
        else:
            logger.warning("Sandbox rate limit not counted, Redis answered %r", answer)
        return
    learner_count, address_count = answer
    per_learner, per_address = limits()
    if learner_count > per_learner:
        raise RateLimited(
            f"You ran {learner_count} calls this minute; the sandbox allows {per_learner} per "
            f"learner per minute. Wait {seconds_left()} s and run again."
        )
    if address_count > per_address:
        raise RateLimited(
            f"Your address ran {address_count} calls this minute; the sandbox allows "
            f"{per_address} per address per minute. Wait {seconds_left()} s and run again."
        )


def seconds_left() -> int:
    return shared_limits.seconds_left(WINDOW_SECONDS)
