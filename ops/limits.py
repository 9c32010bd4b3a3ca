"""Limits on expensive work, kept in the shared Redis so every app host counts the same.

- `queue_count` / `count`: a fixed-window counter per key (calls per minute, sign-ups per
  hour), one atomic Lua script for any number of counters.
- `Semaphore`: at most N holders at once site-wide (lab experiments). Holders are members of
  a sorted set scored by when they expire, in Redis's own clock; a holder whose worker died
  drops out when its expiry passes, so a crash never keeps a slot for good.

Both talk to the Redis of the site's `default` cache through its raw client: a failure is
raised to the caller (redis.RedisError or OSError), who decides to fail open or closed.
"""

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import redis
from django.core.cache import caches

REDIS_ERRORS = (redis.RedisError, OSError)

# INCRBY every counter; a counter this call created gets its expiry. Returns the counts.
COUNT_SCRIPT = """
local counts = {}
for index, key in ipairs(KEYS) do
  counts[index] = redis.call('INCRBY', key, ARGV[1])
  if counts[index] == tonumber(ARGV[1]) then redis.call('EXPIRE', key, ARGV[2]) end
end
return counts
"""

# Drops expired holders, then adds ARGV[3] (expiring ARGV[2] ms from now) unless ARGV[1]
# holders are in already. Returns {1, 0} when taken, {0, ms until the first holder expires}.
ACQUIRE_SCRIPT = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(first[2]) - now_ms}
end
redis.call('ZADD', KEYS[1], now_ms + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, 0}
"""


def site_redis() -> redis.Redis:
    """The raw client of the site's shared Redis (the `default` cache, django-redis)."""
    return caches["default"].client.get_client(write=True)


def window_key(name: str, subject: str, window_seconds: int) -> str:
    """The counter of `subject` (an address, a learner) in the current window of `name`."""
    window = int(time.time() // window_seconds)
    return caches["default"].make_key(f"limit:{name}:{subject}:{window}")


def seconds_left(window_seconds: int) -> int:
    """Seconds until the current window ends (and its counts start again from 0)."""
    return window_seconds - int(time.time() % window_seconds)


def queue_count(pipe: redis.client.Pipeline, keys: list[str], amount: int, window: int) -> None:
    """Add `amount` to each counter in a pipeline; its answer is the list of counts."""
    pipe.eval(COUNT_SCRIPT, len(keys), *keys, amount, window * 2)


def count(keys: list[str], amount: int, window: int) -> list[int]:
    """Add `amount` to each counter at once; the counts now (raises on a Redis failure)."""
    return site_redis().eval(COUNT_SCRIPT, len(keys), *keys, amount, window * 2)


class SemaphoreFull(Exception):
    def __init__(self, retry_after_ms: int) -> None:
        super().__init__(f"full for up to {retry_after_ms} ms")
        self.retry_after_ms = retry_after_ms


class Semaphore:
    """At most `slots` holders at once, each for at most `hold_ms` (then it expires)."""

    def __init__(self, name: str, slots: int, hold_ms: int) -> None:
        self.key = caches["default"].make_key(f"semaphore:{name}")
        self.slots = slots
        self.hold_ms = hold_ms

    def acquire(self) -> str:
        """A holder token, or SemaphoreFull saying when the first holder's slot expires."""
        token = uuid.uuid4().hex
        taken, wait_ms = site_redis().eval(
            ACQUIRE_SCRIPT, 1, self.key, self.slots, self.hold_ms, token
        )
        if not taken:
            raise SemaphoreFull(int(wait_ms))
        return token

    def release(self, token: str) -> None:
        site_redis().zrem(self.key, token)

    def holders(self) -> int:
        """Holders now, expired ones included until the next acquire drops them."""
        return site_redis().zcard(self.key)

    def release_quietly(self, token: str) -> None:
        """Release, or leave the slot to expire by itself after hold_ms if Redis fails."""
        with suppress(REDIS_ERRORS):
            self.release(token)

    @contextmanager
    def held(self) -> Iterator[str]:
        token = self.acquire()
        try:
            yield token
        finally:
            self.release_quietly(token)
