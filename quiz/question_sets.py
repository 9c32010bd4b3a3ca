"""Made-up question sets: a lesson's "Test yourself" and the review of missed questions.

Some questions appear in more than one quiz (the test repeats practice questions). A learner
sees such a question once in a set, and their latest answer to any copy of it is the one that
counts: answering it right in a review takes it off the list, whichever quiz it came from.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from learners.identity import Learner
from lessons.models import Lesson
from quiz.models import Answer, Question

LESSON_TEST_SIZE = 5

SameQuestion = tuple[str, str, str]


def same_question(question: Question) -> SameQuestion:
    return (question.prompt, question.code, question.follow_up)


def one_of_each(questions: Iterable[Question]) -> list[Question]:
    """The questions without repeats, each kept where it first appears."""
    seen: set[SameQuestion] = set()
    kept = []
    for question in questions:
        if same_question(question) not in seen:
            seen.add(same_question(question))
            kept.append(question)
    return kept


def lesson_questions(lesson: Lesson) -> list[Question]:
    """A lesson's questions in course order (quiz, then position), without repeats."""
    questions = Question.objects.filter(lesson=lesson).order_by(
        "quiz__order", "quiz_id", "order", "pk"
    )
    return one_of_each(questions)[:LESSON_TEST_SIZE]


@dataclass(frozen=True)
class LatestAnswer:
    question: Question
    correct: bool
    answered_at: datetime


def latest_answers(learner: Learner) -> list[LatestAnswer]:
    """The learner's latest answer to each question they answered (repeats counted as one),
    newest first."""
    answers = (
        Answer.objects.filter(learner.filter("attempt__"))
        .select_related("question", "choice")
        .order_by("-answered_at", "-pk")
    )
    latest: dict[SameQuestion, LatestAnswer] = {}
    for answer in answers:
        key = same_question(answer.question)
        if key not in latest:
            latest[key] = LatestAnswer(
                answer.question, answer.choice.is_correct, answer.answered_at
            )
    return list(latest.values())


def missed(learner: Learner) -> list[LatestAnswer]:
    """The questions whose latest answer was wrong, newest first."""
    if not learner.is_known:
        return []
    return [answer for answer in latest_answers(learner) if not answer.correct]
