"""What every model that keeps a learner's work shares: whose it is (learners.identity says who
that is: a signed-in learner's `user`, or an anonymous learner's `visitor` id)."""

from django.conf import settings
from django.db import models


class LearnerOwned(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    visitor = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        abstract = True


def one_per_learner(thing: str, field: str) -> list[models.UniqueConstraint]:
    """At most one `thing` per learner and `field`: one for each user, one for each visitor
    (the visitor's only while the row has no user)."""
    return [
        models.UniqueConstraint(
            fields=["user", field],
            condition=models.Q(user__isnull=False),
            name=f"one_{thing}_per_user_and_{field}",
        ),
        models.UniqueConstraint(
            fields=["visitor", field],
            condition=models.Q(user__isnull=True),
            name=f"one_{thing}_per_visitor_and_{field}",
        ),
    ]
