"""The instructors' explanations of differences, kept per process between requests.

An admin edit must show on every app server at once, and reading the table on every run that
disagrees (most do: django-redis's set returns True) costs a query. So the rules are kept per
process under a version token that lives in the site's Redis: each run reads the token in the
round trip that counts its rate limit, and any change to the table replaces the token.
"""

import secrets
from typing import Any

import redis
from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sandbox.differences import Explainer, Rule
from sandbox.models import Explanation
from sandbox.registry import redis_client

_kept: dict[bytes, list[Rule]] = {}  # version token -> rules; only the newest is kept


def version_key() -> str:
    return caches["default"].make_key("sandbox:explanations:version")


def queue_version(pipe: redis.client.Pipeline) -> None:
    pipe.get(version_key())


class KeptExplainer(Explainer):
    """An Explainer whose rules are read from the database once per version token."""

    def __init__(self, version: Any) -> None:
        super().__init__()
        self.version = version if isinstance(version, bytes) else None

    @property
    def rules(self) -> list[Rule]:
        if self.version is None:  # no token (Redis flushed or down): read, and start one
            self.version = new_version(only_if_missing=True)
            if self.version is None:
                return Explainer.rules.fget(self)
        if self.version not in _kept:
            _kept.clear()
            _kept[self.version] = Explainer.rules.fget(self)
        return _kept[self.version]


def new_version(only_if_missing: bool = False) -> bytes | None:
    token = secrets.token_hex(8).encode()
    try:
        stored = redis_client().set(version_key(), token, nx=only_if_missing)
    except (redis.RedisError, OSError):
        return None
    return token if stored else None


@receiver(post_save, sender=Explanation, dispatch_uid="sandbox.explanations.saved")
@receiver(post_delete, sender=Explanation, dispatch_uid="sandbox.explanations.deleted")
def explanations_changed(**kwargs: Any) -> None:
    new_version()
