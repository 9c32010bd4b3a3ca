"""The course content in fixtures/quiz.json: complete, consistent and true for Django 5.2."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from django.utils.html import escape

from lessons.models import Lesson
from lessons.rendering import render_body
from quiz.models import Choice, Difficulty, Question, Quiz, Solution, Step
from tests.quiz.conftest import FIXTURES, answer, pick, start, step_url

pytestmark = pytest.mark.django_db

# The lessons the source page covers; the later ones have their own quiz ("production").
SOURCE_LESSONS = {"why-cache", "locmem", "redis", "memcached", "choosing-a-backend", "page-caching"}
# The source's practice prompts; Q2 says "a correct way" (two are correct in Django 5.2).
SOURCE_PROMPTS = [
    "Which Django cache backend stores data temporarily in the server's RAM",
    "Which of the following is a correct way to configure Redis as a cache backend in Django's "
    "settings.py?",
    "Given this Django cache configuration using Memcached:",
    "You configured Redis cache in Django but get a connection error when running your app. "
    "Which of these is the most likely cause?",
    "You want to use Django caching for a large distributed app with multiple servers. Which "
    "cache backend should you choose and why?",
]


def test_every_quiz_of_the_fixtures_is_loaded_with_all_its_questions(content) -> None:
    fixture = [obj for name in FIXTURES[1:] for obj in json.loads(Path(name).read_text())]
    slugs = {obj["pk"]: obj["fields"]["slug"] for obj in fixture if obj["model"] == "quiz.quiz"}
    expected = Counter(
        slugs[obj["fields"]["quiz"]] for obj in fixture if obj["model"] == "quiz.question"
    )
    assert {quiz.slug: quiz.questions.count() for quiz in Quiz.objects.all()} == expected
    assert {"practice", "performance", "test", "pages", "production"} <= set(expected)


def test_practice_has_the_five_source_questions_in_order(practice) -> None:
    prompts = [q.prompt for q in practice.questions.order_by("order")]
    for prompt, source in zip(prompts, SOURCE_PROMPTS, strict=True):
        assert prompt.startswith(source)
    assert [q.difficulty for q in practice.questions.order_by("order")] == [
        "easy",
        "easy",
        "medium",
        "medium",
        "hard",
    ]


def test_practice_one_keeps_the_source_prompt_and_its_solution_says_the_store_is_per_process(
    practice,
) -> None:
    question = practice.questions.get(order=1)
    assert question.prompt == (
        "Which Django cache backend stores data temporarily in the server's RAM and is "
        "suitable for development or small projects?"
    )
    steps = " ".join(step.text for step in question.steps.all())
    assert "each process (each gunicorn worker, each server) has its own separate store" in steps


def test_practice_two_names_both_redis_backends_and_not_the_removed_memcached_one(
    practice,
) -> None:
    question = practice.questions.get(order=2)
    texts = [choice.text for choice in question.choices.all()]
    assert not any("MemcachedCache" in text for text in texts)
    assert question.choices.get(is_correct=True).text.startswith(
        '"BACKEND": "django_redis.cache.RedisCache"'
    )
    explained = " ".join(step.text for step in question.steps.all())
    assert "django.core.cache.backends.redis.RedisCache" in explained
    assert "removed in Django 4.1" in question.solution.common_mistakes


def test_practice_three_shows_the_pymemcache_configuration(practice) -> None:
    question = practice.questions.get(order=3)
    assert "django.core.cache.backends.memcached.PyMemcacheCache" in question.code
    assert question.follow_up.startswith("What will happen if you try to cache a Python dict")


def test_performance_starts_with_the_source_question(content) -> None:
    first = Question.objects.get(quiz__slug="performance", order=1)
    assert first.prompt == (
        "Which cache backend reduces server response time best in a multi-server Django setup?"
    )
    assert first.choices.get(is_correct=True).text == "Redis shared cache"


def test_every_question_has_exactly_one_correct_option_of_four(content) -> None:
    for question in Question.objects.prefetch_related("choices"):
        choices = list(question.choices.all())
        assert len(choices) == 4, question
        assert sum(choice.is_correct for choice in choices) == 1, question


def test_every_option_explains_why_it_is_right_or_wrong(content) -> None:
    assert not Choice.objects.filter(why="").exists()
    assert Choice.objects.count() == 4 * Question.objects.count()


def test_every_question_has_a_full_worked_solution(content) -> None:
    for question in Question.objects.select_related("solution"):
        solution = question.solution
        assert question.steps.count() >= 2, question
        assert solution.quick_check and solution.hint, question
        assert len(solution.mistakes()) >= 3, question
        assert solution.final_answer == question.choices.get(is_correct=True).text, question


def test_the_test_quiz_spans_every_difficulty_and_the_six_lessons_of_the_source(content) -> None:
    questions = Question.objects.filter(quiz__slug="test")
    assert {q.difficulty for q in questions} == set(Difficulty.values)
    assert {q.lesson.slug for q in questions} == SOURCE_LESSONS
    for level in Difficulty.values:
        assert questions.filter(difficulty=level).count() >= 3


def test_no_question_teaches_a_backend_django_5_2_does_not_have(content) -> None:
    for choice in Choice.objects.filter(is_correct=True):
        assert "MemcachedCache" not in choice.text.replace("PyMemcacheCache", "")


def test_no_worked_solution_calls_redis_the_fastest_store(content) -> None:
    """Redis is the answer for several servers because it is shared, not because it is faster."""
    assert not Solution.objects.filter(quick_check__icontains="fastest").exists()
    assert not Step.objects.filter(text__iregex=r"redis[^.;]* fast").exists()
    performance = Question.objects.get(quiz__slug="performance", order=1)
    assert "share" in performance.solution.quick_check


def test_the_page_caching_lesson_has_its_own_quiz_and_stampedes_are_in_the_performance_quiz(
    content,
) -> None:
    pages = Question.objects.filter(quiz__slug="pages")
    assert pages.count() >= 3
    assert {question.lesson.slug for question in pages} == {"page-caching"}
    stampedes = [
        question
        for question in Question.objects.filter(quiz__slug="performance", lesson__slug="why-cache")
        if question.section
        in {
            "cache-stampedes-many-misses-at-once",
            "bad-get_or_set-and-hoping",
            "good-one-rebuild-guarded-by-add",
            "good-on-django-redis-a-lock",
        }
    ]
    assert len(stampedes) >= 2


def test_the_leak_question_is_answered_by_the_order_cache_page_and_session_run_in(content) -> None:
    leak = Question.objects.get(quiz__slug="pages", order=1)
    assert "@cache_page(60)" in leak.code
    assert leak.choices.get(is_correct=True).text.startswith('"Hello Ada"')
    order = Question.objects.get(quiz__slug="pages", order=2)
    assert order.choices.get(is_correct=True).text.startswith(
        "@cache_page(60) on top, @vary_on_cookie directly under it"
    )


@pytest.mark.parametrize("slug", ["pages", "performance"])
def test_no_answer_is_in_the_question_page_before_answering(client, content, slug) -> None:
    attempt = start(client, slug)
    for question in attempt.quiz.questions.order_by("order"):
        html = client.get(step_url(attempt)).content.decode()
        assert escape(question.prompt) in html
        for choice in question.choices.all():
            assert escape(choice.text) in html
            assert escape(choice.why) not in html
        assert escape(question.solution.quick_check) not in html
        assert question.steps.first().title not in html
        response = answer(client, attempt, question, pick(question, correct=True).pk)
        assert response.status_code == 302


def heading_ids(lesson: Lesson) -> set[str]:
    return set(re.findall(r'<h[2-4] id="([^"]+)"', render_body(lesson.body)["html"]))


def test_every_question_names_a_section_its_lesson_has(content) -> None:
    ids = {lesson.slug: heading_ids(lesson) for lesson in Lesson.objects.all()}
    for question in Question.objects.all():
        assert question.section in ids[question.lesson.slug], (question, question.section)
