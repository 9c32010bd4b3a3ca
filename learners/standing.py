"""Where a learner stands, as /progress/ shows it: the lessons app's readings and the quiz
app's figures, side by side per lesson, the challenges' results, the flashcards due and the bugs
spotted (through each app's public progress functions)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from challenges.results import ChallengeProgress, challenge_progress
from flashcards.scheduling import Queue, queue_of
from learners.identity import Learner
from lessons.progress import reading_progress
from quiz.progress import MissedQuestion, QuizProgress, learner_progress, missed_questions
from spotbug.answers import Score, score_of


@dataclass(frozen=True)
class LessonRow:
    title: str
    url: str
    read_at: datetime | None
    test_url: str  # "Test yourself" on this lesson, "" if it has no questions
    questions: int
    answered: int
    first_try_right: int


@dataclass(frozen=True)
class Standing:
    lessons: list[LessonRow]
    quizzes: list[QuizProgress]
    missed: list[MissedQuestion]
    review_url: str
    challenges: list[ChallengeProgress]
    cards: Queue
    bugs: Score

    @property
    def lessons_read(self) -> int:
        return sum(row.read_at is not None for row in self.lessons)

    @property
    def has_answers(self) -> bool:
        return any(row.answered for row in self.lessons)


def standing_of(learner: Learner) -> Standing:
    readings = reading_progress(learner)
    figures = learner_progress(learner)
    questions = {row.slug: row for row in figures.lessons}
    rows = []
    for reading in readings:
        quiz = questions.get(reading.slug)
        rows.append(
            LessonRow(
                title=reading.title,
                url=reading.url,
                read_at=reading.read_at,
                test_url=quiz.test_url if quiz and quiz.questions else "",
                questions=quiz.questions if quiz else 0,
                answered=quiz.answered if quiz else 0,
                first_try_right=quiz.first_try_right if quiz else 0,
            )
        )
    return Standing(
        lessons=rows,
        quizzes=figures.quizzes,
        missed=missed_questions(learner),
        review_url=figures.review_url,
        challenges=challenge_progress(learner),
        cards=queue_of(learner, timezone.now()),
        bugs=score_of(learner),
    )
