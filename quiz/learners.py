"""Who is taking a quiz: a logged-in user, or else an anonymous learner's session."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from quiz.models import Attempt


@dataclass(frozen=True)
class Learner:
    user_id: int | None
    session_key: str | None

    @property
    def attempts(self) -> Q:
        """Filter for this learner's attempts; matches nothing for a visitor with no session."""
        if self.user_id is not None:
            return Q(user_id=self.user_id)
        if self.session_key:
            return Q(user__isnull=True, session_key=self.session_key)
        return Q(pk__in=[])

    def owns(self, attempt: Attempt) -> bool:
        """The same test as `attempts`, for an attempt already loaded."""
        if self.user_id is not None:
            return attempt.user_id == self.user_id
        return bool(self.session_key) and (
            attempt.user_id is None and attempt.session_key == self.session_key
        )

    def owner_fields(self) -> dict[str, Any]:
        """Field values that make a new attempt belong to this learner."""
        if self.user_id is not None:
            return {"user_id": self.user_id, "session_key": ""}
        if not self.session_key:
            raise ValueError("An anonymous learner needs a saved session to own an attempt.")
        return {"user_id": None, "session_key": self.session_key}


def learner_of(request: HttpRequest, *, create_session: bool = False) -> Learner:
    """The learner making this request. With create_session, an anonymous visitor gets a
    saved session first, so the attempt they start has a key to belong to."""
    if request.user.is_authenticated:
        return Learner(user_id=request.user.pk, session_key=None)
    if request.session.session_key is None and create_session:
        request.session.save()
    return Learner(user_id=None, session_key=request.session.session_key)
