"""The states of the modes built before the hub, read through each app's public progress
functions (the newer modes provide `<app>/mode.py` instead: see learn.modes)."""

import math

from django.db.models import Sum
from django.urls import reverse

from lab.models import Result as LabResult
from lab.results import learner_results
from learn.modes import ModeState, Score
from learners.identity import Learner
from lessons.models import Lesson
from lessons.progress import reading_progress
from quiz.progress import QuizProgress, quiz_progress
from quiz.question_sets import missed
from sandbox import history

# An estimate for "about how long": a question read, answered and its feedback read.
MINUTES_PER_QUESTION = 1.5


def about_minutes(questions: int) -> int:
    return max(1, math.ceil(questions * MINUTES_PER_QUESTION))


def read_state(learner: Learner) -> ModeState:
    lessons = reading_progress(learner)
    done = sum(lesson.is_read for lesson in lessons)
    unread = next((lesson.url for lesson in lessons if not lesson.is_read), "")
    minutes = Lesson.objects.aggregate(total=Sum("reading_minutes"))["total"]
    return ModeState(
        summary=f"{done} of {len(lessons)} lesson{'s' if len(lessons) != 1 else ''} read",
        done=done,
        total=len(lessons),
        minutes=minutes or None,
        continue_url=unread if done else "",
    )


def quiz_state(learner: Learner, slug: str) -> ModeState:
    url = reverse("quiz:quiz", args=[slug])
    found: QuizProgress | None = next(
        (quiz for quiz in quiz_progress(learner) if quiz.url == url), None
    )
    if found is None:
        return ModeState()
    minutes = about_minutes(found.question_count)
    if not found.attempts:
        return ModeState(total=found.question_count, minutes=minutes)
    best = Score(found.best.correct, found.best.total) if found.best else None
    if best:
        summary = f"Best {best.right} of {best.out_of} ({best.percent}%)"
    else:
        summary = "Started, not finished yet"
    attempts = f"{found.attempts} attempt{'s' if found.attempts != 1 else ''}"
    return ModeState(
        summary=f"{summary} · {attempts}",
        done=found.finished,
        score=best,
        minutes=minutes,
        continue_url=found.continue_url,
    )


def practice_state(learner: Learner) -> ModeState:
    return quiz_state(learner, "practice")


def test_state(learner: Learner) -> ModeState:
    return quiz_state(learner, "test")


def try_state(learner: Learner) -> ModeState:
    runs = len(history.entries(learner.namespace)) if learner.is_known else 0
    if not runs:
        return ModeState()
    kept = f" (the last {history.MAX_ENTRIES} are kept)" if runs >= history.MAX_ENTRIES else ""
    return ModeState(
        summary=f"{runs} run{'s' if runs != 1 else ''} in your history{kept}", done=runs
    )


def measure_state(learner: Learner) -> ModeState:
    kinds = LabResult.Kind.values
    done = sum(kind in kinds for kind in learner_results(learner))
    if not done:
        return ModeState(total=len(kinds))
    return ModeState(summary=f"{done} of {len(kinds)} experiments run", done=done, total=len(kinds))


def review_state(learner: Learner) -> ModeState:
    due = len(missed(learner))
    if not due:
        return ModeState()
    return ModeState(
        summary=f"{due} question{'s' if due != 1 else ''} to review",
        due=due,
        minutes=about_minutes(due),
    )
