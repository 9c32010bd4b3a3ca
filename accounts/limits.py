"""Accounts created per client address per hour (SIGNUPS_PER_HOUR_PER_ADDRESS).

Counted in the shared Redis when a valid sign-up is about to create an account, so a script
cannot fill the user table from one address. If Redis does not answer, sign-up stays open
(an account is worth more to a learner than the limit is to the site) and the failure is
logged.
"""

import logging

from django.conf import settings

from ops import limits

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


class TooManySignups(Exception):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def count_signup(address: str) -> None:
    """Count one account created from `address`; TooManySignups over the limit."""
    per_hour = settings.SIGNUPS_PER_HOUR_PER_ADDRESS
    key = limits.window_key("signups-address", address, WINDOW_SECONDS)
    try:
        [created] = limits.count([key], 1, WINDOW_SECONDS)
    except limits.REDIS_ERRORS as error:
        logger.warning("Sign-up limit not counted, Redis failed: %s", error)
        return
    if created > per_hour:
        wait = limits.seconds_left(WINDOW_SECONDS)
        raise TooManySignups(
            f"{per_hour} accounts were created from your address this hour, as many as the "
            f"site allows per address. Try again in {-(-wait // 60)} minutes; what you did so "
            "far is kept in this browser meanwhile.",
            wait,
        )
