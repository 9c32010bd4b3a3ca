"""How many lab experiments run at once, site-wide, and how many one address starts.

An experiment holds a sync worker for up to several seconds. The per-learner lock
(`lab.experiments.one_at_a_time`) stops a learner from running two, but a script that drops
its cookie is a new learner on every request: these limits hold whoever asks.

- At most LAB_EXPERIMENTS_AT_ONCE run at once on the whole site (every app host): a Redis
  semaphore (`ops.limits.Semaphore`) whose slots expire after SLOT_SECONDS, so a worker
  killed mid-run (gunicorn's 30 s timeout) frees its slot by itself.
- At most LAB_EXPERIMENTS_PER_MINUTE_PER_ADDRESS are started per client address per minute.

Both live in the shared Redis; when it does not answer, experiments are refused (503), as
the per-learner lock already refuses them.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from ops import limits

SLOT_SECONDS = 60  # longer than any run (gunicorn kills a worker after 30 s)
WINDOW_SECONDS = 60
RETRY_AFTER_SECONDS = 5  # a run takes a few seconds: try again then


class TooManyExperiments(Exception):
    """Refused for now (429); `retry_after` in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class LimitsUnavailable(Exception):
    """The shared Redis that keeps the limits does not answer (503)."""


def experiment_slots() -> limits.Semaphore:
    return limits.Semaphore(
        "lab-experiments", settings.LAB_EXPERIMENTS_AT_ONCE, SLOT_SECONDS * 1000
    )


def count_for_address(address: str) -> None:
    per_address = settings.LAB_EXPERIMENTS_PER_MINUTE_PER_ADDRESS
    key = limits.window_key("lab-experiments-address", address, WINDOW_SECONDS)
    [started] = limits.count([key], 1, WINDOW_SECONDS)
    if started > per_address:
        wait = limits.seconds_left(WINDOW_SECONDS)
        raise TooManyExperiments(
            f"Your address started {started} experiments this minute; the lab allows "
            f"{per_address} per address per minute. Wait {wait} s and run again.",
            wait,
        )


@contextmanager
def experiment_capacity(address: str) -> Iterator[None]:
    """Count the run against `address`, then hold one of the site's slots while it runs."""
    slots = experiment_slots()
    try:
        count_for_address(address)
        token = slots.acquire()
    except limits.SemaphoreFull as full:
        wait = max(1, min(RETRY_AFTER_SECONDS, -(-full.retry_after_ms // 1000)))
        raise TooManyExperiments(
            f"The lab is running {slots.slots} experiments for other learners right now, as "
            f"many as it runs at once. Try again in {wait} s.",
            wait,
        ) from None
    except limits.REDIS_ERRORS as error:
        raise LimitsUnavailable(
            "The shared Redis that keeps the lab's limits is not answering: try again in a "
            "moment (/healthz says more)."
        ) from error
    try:
        yield
    finally:
        slots.release_quietly(token)
