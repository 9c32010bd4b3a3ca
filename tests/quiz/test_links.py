"""Each question links to the lesson section that teaches it, and to the sandbox when the
sandbox can run the cache calls it shows."""

from urllib.parse import parse_qs, urlsplit

import pytest

from lessons.models import Lesson
from quiz.content import quiz_content
from quiz.models import Question, Quiz
from tests.quiz.conftest import answer, pick, start

pytestmark = pytest.mark.django_db


def sandbox_code(url: str) -> str:
    parts = urlsplit(url)
    assert parts.path == "/sandbox/"
    return parse_qs(parts.query)["code"][0]


def test_the_dict_in_memcached_question_offers_its_calls_in_the_sandbox(practice) -> None:
    third = quiz_content(practice)[2]
    assert sandbox_code(third.try_url) == "cache.set('key', {'a': 1})\ncache.get('key')"
    assert third.read_url == "/lessons/memcached/#pickling-why-a-dict-round-trips"


def test_calls_with_names_instead_of_literals_are_not_offered(content) -> None:
    questions = quiz_content(Quiz.objects.get(slug="performance"))
    locmem = questions[1]  # cache.set(key, result, timeout=300)
    assert "cache.set(key, result" in locmem.prompt
    assert locmem.try_url == ""


def test_clear_on_a_shared_server_is_not_offered_on_its_own(content) -> None:
    test = quiz_content(Quiz.objects.get(slug="test"))
    shared_redis = test[5]
    assert "cache.clear()" in shared_redis.prompt and shared_redis.try_url == ""


def test_every_question_links_to_its_lesson_section(content) -> None:
    for quiz in Quiz.objects.all():
        for question in quiz_content(quiz):
            row = Question.objects.select_related("lesson").get(pk=question.pk)
            assert question.read_url == f"/lessons/{row.lesson.slug}/#{row.section}"


def test_the_feedback_shows_both_links(client, practice) -> None:
    attempt = start(client, "practice")
    third = practice.questions.get(order=3)
    answer(client, attempt, third, pick(third, correct=True).pk)
    html = client.get(f"/quiz/attempts/{attempt.pk}/questions/{third.pk}/").content.decode()
    assert 'Read: <a href="/lessons/memcached/#pickling-why-a-dict-round-trips">' in html
    assert ">Try it in the sandbox</a>" in html
    assert 'href="/sandbox/?code=cache.set%28%27key%27' in html


def test_a_renamed_lesson_is_named_in_the_next_feedback(client, practice) -> None:
    attempt = start(client, "practice")
    third = practice.questions.get(order=3)
    answer(client, attempt, third, pick(third, correct=True).pk)
    lesson = Lesson.objects.get(slug="memcached")
    lesson.title = "Memcached, renamed"
    lesson.save()
    html = client.get(f"/quiz/attempts/{attempt.pk}/questions/{third.pk}/").content.decode()
    assert ">Memcached, renamed, Pickling: why a dict round-trips</a>" in html
