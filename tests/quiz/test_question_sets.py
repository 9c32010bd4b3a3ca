"""The review of missed questions and a lesson's "Test yourself": made-up question sets,
scored like any quiz and left out of the first-attempt statistics."""

import re

import pytest
from django.test import Client

from quiz.models import Answer, Attempt, Kind, Question
from quiz.question_sets import LESSON_TEST_SIZE, lesson_questions
from quiz.statistics import first_attempt_counts
from tests.quiz.conftest import answer, pick, start, take

pytestmark = pytest.mark.django_db


def start_set(client: Client, url: str) -> Attempt:
    response = client.post(url)
    assert response.status_code == 302, response.content
    pk = int(re.search(r"/quiz/attempts/(\d+)/", response["Location"]).group(1))
    return Attempt.objects.get(pk=pk)


def set_questions(attempt: Attempt) -> list[Question]:
    return [row.question for row in attempt.set_questions.select_related("question")]


def answer_set(client: Client, attempt: Attempt, right: list[bool]) -> None:
    for question, correct in zip(set_questions(attempt), right, strict=True):
        response = answer(client, attempt, question, pick(question, correct=correct).pk)
        assert response.status_code == 302, response.content


def test_the_review_asks_the_questions_whose_latest_answer_was_wrong(client, practice) -> None:
    take(client, "practice", [True, False, True, False, True])
    wrong = list(practice.questions.filter(order__in=[2, 4]))
    review = start_set(client, "/quiz/review/")
    assert review.kind == Kind.REVIEW and review.quiz is None and not review.is_first
    assert {q.pk for q in set_questions(review)} == {q.pk for q in wrong}


def test_a_question_answered_right_in_review_leaves_the_list(client, practice) -> None:
    take(client, "practice", [True, False, True, False, True])
    review = start_set(client, "/quiz/review/")
    _, second = set_questions(review)
    answer_set(client, review, [True, False])
    html = client.get(f"/quiz/attempts/{review.pk}/results/").content.decode()
    assert "Score: <strong>1/2</strong> (50%)" in html
    again = start_set(client, "/quiz/review/")
    assert [q.pk for q in set_questions(again)] == [second.pk]


def test_a_question_the_test_repeats_is_reviewed_once_by_its_latest_answer(client, content) -> None:
    take(client, "practice", [False, True, True, True, True])  # practice Q1 wrong
    test = start(client, "test")
    repeat = test.quiz.questions.get(order=3)  # the test repeats practice Q1
    answer(client, test, repeat, pick(repeat, correct=True).pk)
    assert "Nothing to review" in client.get("/quiz/review/").content.decode()


def test_nothing_to_review_says_so_and_starts_nothing(client, practice) -> None:
    take(client, "practice", [True] * 5)
    response = client.post("/quiz/review/", follow=True)
    assert "Nothing to review" in response.content.decode()
    assert not Attempt.objects.filter(kind=Kind.REVIEW).exists()


def test_a_review_is_left_out_of_the_first_attempt_statistics(
    client, practice, django_capture_on_commit_callbacks
) -> None:
    take(client, "practice", [False, True, True, True, True])
    first = practice.questions.get(order=1)
    before = first_attempt_counts(first.pk)
    review = start_set(client, "/quiz/review/")
    with django_capture_on_commit_callbacks(execute=True):
        answer_set(client, review, [True])
    assert first_attempt_counts(first.pk) == before
    assert Answer.objects.filter(question=first).count() == 2


def test_the_review_feedback_has_the_worked_solution_and_the_lesson_link(client, practice) -> None:
    take(client, "practice", [True, True, False, True, True])
    review = start_set(client, "/quiz/review/")
    (third,) = set_questions(review)
    answer(client, review, third, pick(third, correct=True).pk)
    html = client.get(step_url_of(review, third)).content.decode()
    assert "Worked solution" in html
    assert 'href="/lessons/memcached/#pickling-why-a-dict-round-trips"' in html
    assert "<h1>Review what you missed</h1>" in html


def step_url_of(attempt: Attempt, question: Question) -> str:
    return f"/quiz/attempts/{attempt.pk}/questions/{question.pk}/"


def test_test_yourself_asks_the_lessons_questions_once_each(client, content) -> None:
    page = client.get("/quiz/lessons/locmem/").content.decode()
    assert "Test yourself: LocMemCache" in page
    attempt = start_set(client, "/quiz/lessons/locmem/")
    questions = set_questions(attempt)
    assert attempt.kind == Kind.LESSON and attempt.lesson.slug == "locmem"
    assert {q.lesson.slug for q in questions} == {"locmem"}
    assert len({q.prompt for q in questions}) == len(questions) <= LESSON_TEST_SIZE
    assert [q.pk for q in questions] == [q.pk for q in lesson_questions(attempt.lesson)]
    answer_set(client, attempt, [True] * len(questions))
    html = client.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()
    assert f"Score: <strong>{len(questions)}/{len(questions)}</strong>" in html


def test_test_yourself_on_an_unknown_lesson_is_a_404(client, content) -> None:
    assert client.get("/quiz/lessons/no-such-lesson/").status_code == 404
    assert client.post("/quiz/lessons/no-such-lesson/").status_code == 404


def test_another_learners_review_is_a_404(client, practice) -> None:
    take(client, "practice", [False] * 5)
    review = start_set(client, "/quiz/review/")
    stranger = Client()
    question = set_questions(review)[0]
    assert stranger.get(step_url_of(review, question)).status_code == 404
    assert stranger.get(f"/quiz/attempts/{review.pk}/results/").status_code == 404
    assert answer(stranger, review, question, pick(question, correct=True).pk).status_code == 404
