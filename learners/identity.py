"""Who is learning: one identity for every app.

A signed-in learner is their user. An anonymous learner is a random visitor id kept in their
session: never the session key itself, which is a credential and changes at login. Models that
keep a learner's work have a `user` foreign key and a `visitor` field, and use `Learner.filter`,
`Learner.owns` and `Learner.owner_fields` on them.

When an anonymous learner signs in, `learner_signed_in` is sent with both identities, so each
app can move the visitor's work to the account (its receivers run in the login's request).
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q
from django.dispatch import Signal
from django.http import HttpRequest

VISITOR_SESSION_KEY = "learner:visitor"
REQUEST_ATTRIBUTE = "_cachelab_learner"

# Sent with visitor=<the anonymous Learner>, learner=<the signed-in Learner>, request.
learner_signed_in = Signal()


@dataclass(frozen=True)
class Learner:
    user_id: int | None = None
    visitor: str = ""

    @property
    def is_signed_in(self) -> bool:
        return self.user_id is not None

    @property
    def is_known(self) -> bool:
        """False for a visitor who has done nothing yet (no visitor id, nothing to find)."""
        return self.is_signed_in or bool(self.visitor)

    @property
    def key(self) -> str:
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return f"visitor:{self.visitor}" if self.visitor else ""

    @cached_property
    def namespace(self) -> str:
        """A name only the server can derive, for this learner's keys in shared stores."""
        if not self.is_known:
            raise ValueError("An unknown visitor has no namespace: call ensure_learner first.")
        digest = hmac.new(settings.SECRET_KEY.encode(), self.key.encode(), hashlib.sha256)
        return digest.hexdigest()[:24]

    def filter(self, prefix: str = "") -> Q:
        """Rows owned by this learner (a model with `user` and `visitor`); none if unknown."""
        if self.user_id is not None:
            return Q(**{f"{prefix}user_id": self.user_id})
        if self.visitor:
            return Q(**{f"{prefix}user__isnull": True, f"{prefix}visitor": self.visitor})
        return Q(pk__in=[])

    def owns(self, row: Any) -> bool:
        """The same test as `filter`, for a row already loaded."""
        if self.user_id is not None:
            return row.user_id == self.user_id
        return bool(self.visitor) and row.user_id is None and row.visitor == self.visitor

    def owner_fields(self) -> dict[str, Any]:
        """Field values that make a new row belong to this learner."""
        if not self.is_known:
            raise ValueError("An unknown visitor owns nothing: call ensure_learner first.")
        return {"user_id": self.user_id, "visitor": "" if self.is_signed_in else self.visitor}


def learner_of(request: HttpRequest) -> Learner:
    """The learner making this request, worked out once per request."""
    learner = getattr(request, REQUEST_ATTRIBUTE, None)
    if learner is None:
        learner = _identify(request)
        setattr(request, REQUEST_ATTRIBUTE, learner)
    return learner


def ensure_learner(request: HttpRequest) -> Learner:
    """The learner, giving an anonymous visitor an id first (kept in their session, so the
    session is saved and its cookie sent at the end of the request)."""
    learner = learner_of(request)
    if learner.is_known:
        return learner
    request.session[VISITOR_SESSION_KEY] = secrets.token_urlsafe(18)
    setattr(request, REQUEST_ATTRIBUTE, None)
    return learner_of(request)


def _identify(request: HttpRequest) -> Learner:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Learner(user_id=user.pk)
    return Learner(visitor=request.session.get(VISITOR_SESSION_KEY, ""))


def hand_over_rows(
    model: type[Model], visitor: Learner, learner: Learner, *, unique_by: str
) -> None:
    """Move the visitor's rows of `model` to the learner. A row whose `unique_by` value the
    learner already has is dropped: the learner's own row is kept, nothing is duplicated."""
    kept = model.objects.filter(learner.filter()).values(unique_by)
    visitors = model.objects.filter(visitor.filter())
    with transaction.atomic():
        visitors.filter(**{f"{unique_by}__in": kept}).delete()
        visitors.update(**learner.owner_fields())


def hand_over_visitor_work(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On login (connected to user_logged_in): the session still holds the visitor id, since
    login() keeps an anonymous session's data when it cycles the key. Tell every app."""
    if request is None or not hasattr(request, "session"):
        return
    visitor = request.session.pop(VISITOR_SESSION_KEY, "")
    setattr(request, REQUEST_ATTRIBUTE, None)
    if visitor:
        learner_signed_in.send(
            sender=Learner,
            visitor=Learner(visitor=visitor),
            learner=Learner(user_id=user.pk),
            request=request,
        )
