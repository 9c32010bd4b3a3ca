"""Which lessons a learner has read, kept in the database for every learner.

A lesson counts as read when the learner marks it read with the button at its end (a plain
form, so it works without JavaScript). When an anonymous learner signs in, their readings
move to the account (`hand_over_readings`, connected in LessonsConfig.ready).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from learners.identity import Learner, hand_over_rows
from lessons.models import Lesson, Reading


@dataclass(frozen=True)
class LessonProgress:
    """One lesson as /progress/ lists it."""

    slug: str
    title: str
    url: str
    read_at: datetime | None

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


def lessons_read(learner: Learner) -> set[str]:
    """Slugs of the lessons this learner has read."""
    return set(Reading.objects.filter(learner.filter()).values_list("lesson__slug", flat=True))


def reading_progress(learner: Learner) -> list[LessonProgress]:
    """Every lesson in course order, with when this learner read it (None: not yet)."""
    read_at = dict(Reading.objects.filter(learner.filter()).values_list("lesson_id", "read_at"))
    return [
        LessonProgress(
            slug=lesson.slug,
            title=lesson.title,
            url=lesson.get_absolute_url(),
            read_at=read_at.get(lesson.pk),
        )
        for lesson in Lesson.objects.only("slug", "title")
    ]


def has_read(learner: Learner, lesson: Lesson) -> bool:
    return Reading.objects.filter(learner.filter(), lesson=lesson).exists()


def mark_read(learner: Learner, lesson: Lesson) -> None:
    """Record the reading once; marking a lesson read again changes nothing."""
    try:
        with transaction.atomic():
            Reading.objects.get_or_create(lesson=lesson, **learner.owner_fields())
    except IntegrityError:
        pass  # the same learner marked it at the same moment from another tab


def hand_over_readings(sender: Any, visitor: Learner, learner: Learner, **kwargs: Any) -> None:
    """On sign-in: the visitor's readings become the account's; a lesson the account had
    already read keeps the account's reading, and the visitor's copy is dropped."""
    hand_over_rows(Reading, visitor, learner, unique_by="lesson_id")
