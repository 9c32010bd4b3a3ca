"""Where a learner stands, for the /progress/ page: per quiz, per lesson, and what they missed.

Plain dataclasses with everything a template shows, URLs included; a learner who has done
nothing gets empty figures, never an error.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.urls import reverse

from learners.identity import Learner
from lessons.models import Lesson
from quiz.attempts import duration_text, with_scores
from quiz.links import add_links
from quiz.models import Answer, Attempt, Kind, Question, Quiz
from quiz.question_sets import missed, one_of_each, same_question
from quiz.scoring import Tally


@dataclass(frozen=True)
class QuizProgress:
    title: str
    url: str  # the quiz's page: its description, a start button and the learner's attempts
    question_count: int
    attempts: int  # started, finished or not
    finished: int
    best: Tally | None  # of finished attempts; None before the first is finished
    latest: Tally | None  # the latest finished attempt's score
    latest_time: str  # how long the latest finished attempt took ("3 min 12 s"), or ""
    hints_used: int  # over all attempts
    continue_url: str  # the newest unfinished attempt, or ""


@dataclass(frozen=True)
class LessonProgress:
    slug: str
    title: str
    url: str
    test_url: str  # "Test yourself" on this lesson
    questions: int  # the lesson's questions, each counted once
    answered: int  # how many of them the learner has answered at least once
    first_try_right: int  # how many of them the learner got right the first time


@dataclass(frozen=True)
class MissedQuestion:
    question_id: int
    prompt: str
    read_title: str  # the lesson and section that teach it
    read_url: str
    answered_at: datetime


@dataclass(frozen=True)
class LearnerProgress:
    quizzes: list[QuizProgress]
    lessons: list[LessonProgress]
    missed_count: int
    review_url: str  # POST here to start the review of missed questions

    @property
    def has_answers(self) -> bool:
        return any(lesson.answered for lesson in self.lessons)


def learner_progress(learner: Learner) -> LearnerProgress:
    return LearnerProgress(
        quizzes=quiz_progress(learner),
        lessons=lesson_progress(learner),
        missed_count=len(missed(learner)),
        review_url=reverse("quiz:review"),
    )


def missed_questions(learner: Learner) -> list[MissedQuestion]:
    """The questions whose latest answer was wrong (what the review quiz asks), newest first."""
    latest = missed(learner)
    questions = [answer.question for answer in latest]
    add_links(questions)
    return [
        MissedQuestion(
            answer.question.pk,
            answer.question.prompt,
            answer.question.read_title,
            answer.question.read_url,
            answer.answered_at,
        )
        for answer in latest
    ]


def quiz_progress(learner: Learner) -> list[QuizProgress]:
    quizzes = Quiz.objects.annotate(question_count=Count("questions")).order_by("order", "pk")
    attempts = with_scores(Attempt.objects.filter(learner.filter(), kind=Kind.QUIZ)).annotate(
        hints=Count("hint_uses", distinct=True)
    )
    by_quiz: dict[int, list[Attempt]] = {}
    for attempt in attempts.order_by("started_at", "pk"):
        by_quiz.setdefault(attempt.quiz_id, []).append(attempt)
    return [summary(quiz, by_quiz.get(quiz.pk, [])) for quiz in quizzes]


def summary(quiz: Quiz, attempts: list[Attempt]) -> QuizProgress:
    """One quiz's figures from the learner's attempts at it, oldest first."""
    finished = [attempt for attempt in attempts if attempt.finished_at is not None]
    unfinished = [attempt for attempt in attempts if attempt.finished_at is None]
    scores = [Tally(attempt.correct_count, quiz.question_count) for attempt in finished]
    latest = finished[-1] if finished else None
    return QuizProgress(
        title=quiz.title,
        url=reverse("quiz:quiz", args=[quiz.slug]),
        question_count=quiz.question_count,
        attempts=len(attempts),
        finished=len(finished),
        best=max(scores, key=lambda tally: tally.correct) if scores else None,
        latest=scores[-1] if scores else None,
        latest_time=duration_text(latest.finished_at - latest.started_at) if latest else "",
        hints_used=sum(attempt.hints for attempt in attempts),
        continue_url=reverse("quiz:attempt", args=[unfinished[-1].pk]) if unfinished else "",
    )


def lesson_progress(learner: Learner) -> list[LessonProgress]:
    """Per lesson: its questions (each once), how many the learner answered, and how many
    they got right on their first answer."""
    first: dict[tuple, bool] = {}
    if learner.is_known:
        answers = (
            Answer.objects.filter(learner.filter("attempt__"))
            .select_related("question", "choice")
            .order_by("answered_at", "pk")
        )
        for answer in answers:
            first.setdefault(same_question(answer.question), answer.choice.is_correct)
    questions: dict[int, list[Question]] = {}
    for question in Question.objects.order_by("quiz__order", "quiz_id", "order", "pk"):
        questions.setdefault(question.lesson_id, []).append(question)
    rows = []
    for lesson in Lesson.objects.only("slug", "title", "order"):
        keys = [same_question(q) for q in one_of_each(questions.get(lesson.pk, []))]
        rows.append(
            LessonProgress(
                slug=lesson.slug,
                title=lesson.title,
                url=lesson.get_absolute_url(),
                test_url=reverse("quiz:lesson", args=[lesson.slug]),
                questions=len(keys),
                answered=sum(key in first for key in keys),
                first_try_right=sum(first.get(key, False) for key in keys),
            )
        )
    return rows
