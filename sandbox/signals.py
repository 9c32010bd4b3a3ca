"""What the sandbox does when a visitor signs in."""

import logging
from typing import Any

import redis

from learners.identity import Learner
from sandbox import history

logger = logging.getLogger(__name__)


def hand_over_history(sender: Any, visitor: Learner, learner: Learner, **kwargs: Any) -> None:
    """The visitor's last runs follow them into their account. Their keys stay where they
    are (stored under the visitor's namespace on four backends, one of them inside a single
    process) and expire within the hour."""
    try:
        history.hand_over(visitor.namespace, learner.namespace)
    except (redis.RedisError, OSError) as error:
        logger.warning("Sandbox history not handed over, Redis failed: %s", error)
