"""What `manage.py prune` forgets: anonymous learners' work and old login failures.

An anonymous learner (a visitor id in a session, learners.identity) who has done nothing for
settings.RETENTION_DAYS (no attempt started or finished, no answer, hint, reading or lab run)
is forgotten: their quiz attempts (with answers, hints and question sets), readings, lab
results and sandbox run history go. A visitor active within the age keeps all of it, old rows
too, so nobody's progress is cut in half. Accounts' work is never touched. The newest lab
result of each experiment stays whoever ran it: the lessons quote it.

Also gone: expired sessions (Django's clearsessions) and django-axes login-failure rows older
than the age, never younger than the login cool-off (a row that still locks someone out stays).
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import redis
from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from lab.models import Result
from learners.identity import Learner
from lessons.models import Reading
from quiz.models import Attempt
from sandbox import history

logger = logging.getLogger(__name__)


@dataclass
class Pruned:
    cutoff: datetime
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        done = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        return f"Older than {self.cutoff:%Y-%m-%d %H:%M} UTC: {done}."


def recent_visitors(cutoff: datetime) -> list[QuerySet]:
    """Subqueries of the visitor ids active since `cutoff`."""
    attempt_activity = (
        Q(started_at__gte=cutoff)
        | Q(finished_at__gte=cutoff)
        | Q(answers__answered_at__gte=cutoff)
        | Q(hint_uses__revealed_at__gte=cutoff)
    )
    return [
        Attempt.objects.filter(attempt_activity, user__isnull=True).values("visitor"),
        Reading.objects.filter(user__isnull=True, read_at__gte=cutoff).values("visitor"),
        Result.objects.filter(user__isnull=True, measured_at__gte=cutoff).values("visitor"),
    ]


def forgotten(rows: QuerySet, cutoff: datetime) -> QuerySet:
    """The anonymous rows of visitors inactive since `cutoff`."""
    rows = rows.filter(user__isnull=True)
    for recent in recent_visitors(cutoff):
        rows = rows.exclude(visitor__in=recent)
    return rows


def quoted_results() -> QuerySet:
    """The newest result of each experiment: what the lessons show."""
    newest = Result.objects.values("kind").annotate(newest=Max("measured_at"))
    quoted = Q(pk__in=[])
    for row in newest:
        quoted |= Q(kind=row["kind"], measured_at=row["newest"])
    return Result.objects.filter(quoted)


def login_failure_cutoff(cutoff: datetime, now: datetime) -> datetime:
    cool_off = get_cool_off() or timedelta(0)
    return min(cutoff, now - cool_off)


def expired_sessions(now: datetime, dry_run: bool) -> int:
    count = Session.objects.filter(expire_date__lt=now).count()
    if not dry_run:
        call_command("clearsessions")
    return count


def sandbox_histories(cutoff: datetime, dry_run: bool) -> int:
    accounts = {
        Learner(user_id=pk).namespace
        for pk in get_user_model().objects.values_list("pk", flat=True)
    }
    try:
        return history.prune(cutoff.timestamp(), keep=accounts, dry_run=dry_run)
    except (redis.RedisError, OSError) as error:
        logger.warning("Sandbox histories not pruned, Redis failed: %s", error)
        return 0


def delete(rows: QuerySet, dry_run: bool) -> int:
    return rows.count() if dry_run else rows.delete()[1].get(rows.model._meta.label, 0)


def prune(days: int | None = None, *, dry_run: bool = False) -> Pruned:
    now = timezone.now()
    cutoff = now - timedelta(days=settings.RETENTION_DAYS if days is None else days)
    pruned = Pruned(cutoff)
    counts = pruned.counts
    with transaction.atomic():
        attempts = forgotten(Attempt.objects.filter(started_at__lt=cutoff), cutoff)
        readings = forgotten(Reading.objects.filter(read_at__lt=cutoff), cutoff)
        results = forgotten(Result.objects.filter(measured_at__lt=cutoff), cutoff)
        results = results.exclude(pk__in=quoted_results().values("pk"))
        counts["anonymous quiz attempts"] = delete(attempts, dry_run)
        counts["anonymous readings"] = delete(readings, dry_run)
        counts["anonymous lab results"] = delete(results, dry_run)
        failures_before = login_failure_cutoff(cutoff, now)
        failures = 0
        for model in (AccessAttempt, AccessFailureLog):
            failures += delete(model.objects.filter(attempt_time__lt=failures_before), dry_run)
        counts["login failure rows"] = failures
        counts["expired sessions"] = expired_sessions(now, dry_run)
    counts["anonymous sandbox histories"] = sandbox_histories(cutoff, dry_run)
    logger.info("prune: %s", pruned)
    return pruned
