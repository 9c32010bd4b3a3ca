"""The two lessons of issue 18 are in the course everywhere a lesson is: the lesson list, the
progress page, and their own "Test yourself" with at least four worked questions each, from
fixtures/quiz-new-lessons.json."""

import re

import pytest

from lessons.models import Lesson
from quiz.models import Attempt, Question
from quiz.question_sets import LESSON_TEST_SIZE

pytestmark = pytest.mark.django_db
NEW_LESSONS = ["keeping-data-correct", "running-cache-servers"]


def test_the_new_lessons_come_right_after_page_caching(content) -> None:
    slugs = list(Lesson.objects.values_list("slug", flat=True))
    after = slugs.index("page-caching") + 1
    assert slugs[after : after + 2] == NEW_LESSONS


def test_the_lesson_list_shows_both(client, content) -> None:
    html = client.get("/lessons/").content.decode()
    for slug in NEW_LESSONS:
        assert f'href="/lessons/{slug}/"' in html


@pytest.mark.parametrize("slug", NEW_LESSONS)
def test_each_has_at_least_four_worked_questions_from_the_new_fixture(content, slug) -> None:
    lesson = Lesson.objects.get(slug=slug)
    questions = Question.objects.filter(lesson=lesson).select_related("solution")
    assert questions.count() >= 4
    for question in questions:
        assert question.pk >= 1001 and question.quiz.slug == "production"
        assert question.section in lesson.headings(), question.section
        assert question.steps.count() >= 2 and len(question.solution.mistakes()) >= 3
        assert question.solution.quick_check and question.solution.hint


@pytest.mark.parametrize("slug", NEW_LESSONS)
def test_test_yourself_starts_an_attempt_of_the_lessons_questions(client, content, slug):
    expected = min(LESSON_TEST_SIZE, Question.objects.filter(lesson__slug=slug).count())
    page = client.get(f"/quiz/lessons/{slug}/").content.decode()
    assert f"{expected} questions on this lesson" in page
    response = client.post(f"/quiz/lessons/{slug}/")
    assert response.status_code == 302
    attempt = Attempt.objects.get(pk=int(re.search(r"/attempts/(\d+)/", response["Location"])[1]))
    picked = list(attempt.set_questions.values_list("question__lesson__slug", flat=True))
    assert picked == [slug] * expected


def test_the_progress_page_lists_both_with_their_test_yourself(client, content) -> None:
    html = client.get("/progress/").content.decode()
    for slug in NEW_LESSONS:
        assert f'href="/lessons/{slug}/"' in html
        assert f'href="/quiz/lessons/{slug}/">Test yourself</a>' in html


def test_each_new_lesson_page_links_to_its_test_yourself(client, content) -> None:
    for slug in NEW_LESSONS:
        html = client.get(f"/lessons/{slug}/").content.decode()
        assert f'href="/quiz/lessons/{slug}/"' in html
