"""The instructors' explanations of differences, from the site's generational cache.

Most runs disagree somewhere (django-redis's set returns True, say), so most runs need the
explanations: they are kept as plain data (sandbox.differences.PlainRule) in the site's
generational cache (sitecache.generations), and any save or delete of an Explanation bumps
its generation, at once and again when the admin's transaction commits.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sandbox.differences import Explainer, PlainRule, read_rules
from sandbox.models import Explanation
from sitecache.generations import Generational

EXPLANATIONS = Generational(
    "explanations",
    timeout=3600,
    stores=(
        "Every explanation of a difference between backends (methods, backends, kind, "
        "pattern, text, source), in order: what a sandbox run that disagrees shows."
    ),
    part="all",
    invalidation=(
        "Saving or deleting an explanation (the admin, loaddata) bumps the generation: at "
        "once, and again when it commits."
    ),
)


class CachedExplainer(Explainer):
    """An Explainer whose rules come from the site's cache, read only if a line disagrees."""

    def load_rules(self) -> list[PlainRule]:
        return list(EXPLANATIONS.get_or_build(lambda: tuple(read_rules())))


@receiver(post_save, sender=Explanation, dispatch_uid="sandbox.explanations.saved")
@receiver(post_delete, sender=Explanation, dispatch_uid="sandbox.explanations.deleted")
def explanations_changed(**kwargs: Any) -> None:
    EXPLANATIONS.bump()
