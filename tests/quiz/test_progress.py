"""learner_progress and missed_questions: the figures the /progress/ page shows."""

import pytest
from django.test import Client

from learners.identity import Learner
from quiz.models import Attempt, Quiz
from quiz.progress import learner_progress, missed_questions
from quiz.scoring import Tally
from tests.quiz.conftest import answer, pick, start, take

pytestmark = pytest.mark.django_db


def learner_of_client(client: Client) -> Learner:
    attempt = Attempt.objects.filter(visitor__gt="").latest("pk")
    return Learner(visitor=attempt.visitor)


def test_a_visitor_who_did_nothing_has_empty_figures(content) -> None:
    progress = learner_progress(Learner())
    assert [q.attempts for q in progress.quizzes] == [0] * Quiz.objects.count()
    assert all(q.best is None and q.continue_url == "" for q in progress.quizzes)
    assert progress.missed_count == 0 and not progress.has_answers
    assert missed_questions(Learner()) == []


def test_per_quiz_attempts_best_latest_time_and_hints(client, practice) -> None:
    take(client, "practice", [True, True, True, True, True])
    retake = start(client, "practice")
    first = practice.questions.get(order=1)
    client.post(f"/quiz/attempts/{retake.pk}/questions/{first.pk}/hint/")
    for question in practice.questions.order_by("order"):
        answer(client, retake, question, pick(question, correct=question.order <= 2).pk)
    unfinished = start(client, "practice")

    progress = learner_progress(learner_of_client(client))
    practice_row = progress.quizzes[0]
    assert practice_row.title == practice.title and practice_row.url == "/quiz/practice/"
    assert (practice_row.attempts, practice_row.finished) == (3, 2)
    assert practice_row.best == Tally(5, 5) and practice_row.latest == Tally(2, 5)
    assert practice_row.latest_time.endswith(" s")
    assert practice_row.hints_used == 1
    assert practice_row.continue_url == f"/quiz/attempts/{unfinished.pk}/"
    assert progress.quizzes[1].attempts == 0


def test_per_lesson_first_try_right_counts_a_questions_first_answer_only(client, practice):
    take(client, "practice", [True, False, True, True, False])
    take(client, "practice", [True, True, True, True, True])  # the retake changes nothing
    lessons = {row.slug: row for row in learner_progress(learner_of_client(client)).lessons}
    assert (lessons["redis"].answered, lessons["redis"].first_try_right) == (2, 1)
    assert (lessons["memcached"].answered, lessons["memcached"].first_try_right) == (1, 1)
    assert lessons["why-cache"].answered == 0
    assert lessons["locmem"].test_url == "/quiz/lessons/locmem/"
    assert lessons["locmem"].url == "/lessons/locmem/"
    # practice Q1 and the test's Q3 are the same question: counted once
    assert lessons["locmem"].questions == 3


def test_missed_questions_name_the_section_that_teaches_them(client, practice) -> None:
    take(client, "practice", [True, True, False, True, True])
    (missed,) = missed_questions(learner_of_client(client))
    third = practice.questions.get(order=3)
    assert missed.question_id == third.pk and missed.prompt == third.prompt
    assert missed.read_url == "/lessons/memcached/#pickling-why-a-dict-round-trips"
    assert missed.read_title.endswith(", Pickling: why a dict round-trips")
    assert learner_progress(learner_of_client(client)).missed_count == 1
