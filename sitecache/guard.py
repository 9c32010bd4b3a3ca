"""What the site does when its own Redis fails: it says so, and it does not wait on it twice.

Optional reads (a generational cache) go through `available()` and `failed()`:
- a failure is logged, at most once a minute per alias (with how many failed since), so an
  outage is never silent and never floods the log;
- after a failure the alias is skipped for SKIP_SECONDS in this process: a hung Redis costs
  the request that meets it one socket timeout (cachelab.cache_config.SERVER_TIMEOUT), and
  the requests after it none, until one tries again a second later.
State is kept per alias and server (its LOCATION), so pointing an alias at another server
starts afresh.
Writers that keep caches correct (sitecache.generations' bumps) are never skipped; their
failures are logged as errors, once a minute per cache (a bulk load must not flood the log).
"""

import logging
import threading
import time
from dataclasses import dataclass

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

SKIP_SECONDS = 1.0
LOG_EVERY_SECONDS = 60.0
# What a failing Redis raises through redis-py (timeouts and refused connections included).
FAILURES = (redis.RedisError, OSError)


@dataclass
class AliasState:
    skip_until: float = 0.0
    logged_at: float | None = None
    unlogged: int = 0  # failures since the last message


_lock = threading.Lock()
_states: dict[tuple[str, str], AliasState] = {}


def _state(alias: str) -> AliasState:
    location = str(settings.CACHES.get(alias, {}).get("LOCATION", ""))
    return _states.setdefault((alias, location), AliasState())


def available(alias: str) -> bool:
    """False while the alias is being skipped after a failure."""
    return time.monotonic() >= _state(alias).skip_until


def failed(alias: str, error: BaseException, doing: str) -> None:
    """Record a failure of an optional operation: skip the alias for a while, log maybe."""
    now = time.monotonic()
    with _lock:
        state = _state(alias)
        state.skip_until = now + SKIP_SECONDS
        state.unlogged += 1
        if state.logged_at is not None and now - state.logged_at < LOG_EVERY_SECONDS:
            return
        state.logged_at, unlogged, state.unlogged = now, state.unlogged, 0
    logger.warning(
        "Cache alias %r failed while %s: %s: %s. Reading the database instead and skipping "
        "the alias for %.0f s (%d failure(s) since the last message; next message in %.0f s "
        "at the earliest).",
        alias,
        doing,
        type(error).__name__,
        error,
        SKIP_SECONDS,
        unlogged,
        LOG_EVERY_SECONDS,
    )


_said_at: dict[str, float] = {}


def first_this_minute(what: str) -> bool:
    """True at most once a minute per `what`: whether to log its failure now."""
    now = time.monotonic()
    with _lock:
        if now - _said_at.get(what, -LOG_EVERY_SECONDS) < LOG_EVERY_SECONDS:
            return False
        _said_at[what] = now
    return True


def reset() -> None:
    """Forget every failure (tests that restart a server)."""
    with _lock:
        _states.clear()
        _said_at.clear()
