"""Counts and names in the prose of the home page, the lesson list and the quiz list come from
the database (issue 18, corrections 3 and 4): add a lesson, a quiz or a question and the
sentences follow."""

import html
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags

from home.prose import in_words, quoted_list
from lessons.models import Lesson
from quiz.models import Quiz

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# "five lessons", "11 questions", "ten-question": a count typed into stored text ("one" is
# left out: "one question at a time" counts nothing).
TYPED_COUNT = re.compile(
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[ -]"
    r"(?:short )?(?:lessons?|quiz(?:zes)?|questions?)\b",
    re.I,
)


@pytest.fixture
def course(db) -> None:
    for name in ("lessons.json", "quiz.json"):
        call_command("loaddata", str(FIXTURES / name), verbosity=0)


def text_of(client, path: str) -> str:
    """The page's words, tags left out."""
    page = client.get(path).content.decode()
    return " ".join(html.unescape(strip_tags(page)).split())


def description_of(client, path: str) -> str:
    page = client.get(path).content.decode()
    return html.unescape(re.search(r'<meta name="description" content="([^"]*)"', page)[1])


def add_lesson(title: str) -> Lesson:
    order = Lesson.objects.count() + 1
    return Lesson.objects.create(slug=f"extra-{order}", title=title, order=order, body="Text.")


def test_numbers_are_words_up_to_twelve_and_names_are_quoted_in_a_sentence() -> None:
    assert [in_words(n) for n in (0, 1, 6, 12, 13)] == ["no", "one", "six", "twelve", "13"]
    assert quoted_list(["A", "B", "C"]) == "“A”, “B” and “C”"
    assert quoted_list(["A"]) == "“A”"


def test_the_home_page_counts_and_names_every_lesson_and_every_quiz(client, course) -> None:
    text = text_of(client, "/")

    assert (
        "Six short lessons: “Why cache”, “LocMemCache”, “Redis”, “Memcached”, “Choosing a "
        "backend for several app servers” and “Caching whole pages and fragments”."
    ) in text
    assert "Five short lessons" not in text
    titles = list(Quiz.objects.values_list("title", flat=True))
    assert f"Four quizzes: {quoted_list(titles)}." in text


def test_the_home_page_follows_a_lesson_or_quiz_added_to_the_database(client, course) -> None:
    add_lesson("Running cache servers")
    Quiz.objects.create(slug="extra", title="An extra quiz", order=9)

    text = text_of(client, "/")

    assert "Seven short lessons:" in text and "and “Running cache servers”." in text
    assert "Five quizzes:" in text and "and “An extra quiz”." in text


def test_the_lesson_list_describes_itself_from_the_database(client, course) -> None:
    assert description_of(client, "/lessons/").startswith("Six lessons on")
    add_lesson("Keeping cached data correct")

    text = description_of(client, "/lessons/")

    assert "Seven lessons on Django's cache backends: “Why cache”, “LocMemCache”," in text
    assert "and “Keeping cached data correct”." in text
    assert "Five lessons" not in text


def test_the_quiz_list_counts_questions_and_lessons_from_the_database(client, course) -> None:
    text = text_of(client, "/quiz/")
    described = description_of(client, "/quiz/")
    assert "ten-question" not in described
    assert "four quizzes (“Practice: cache backends”, “Performance quiz”," in described
    assert re.search(r"Test this pattern [^·]* 11 questions from six lessons ·", text)

    test = Quiz.objects.get(slug="test")
    question = test.questions.first()
    question.pk = None
    question.lesson_id = add_lesson("Keeping cached data correct").slug
    question.save()

    text = text_of(client, "/quiz/")
    assert re.search(r"Test this pattern [^·]* 12 questions from seven lessons ·", text)


def test_no_stored_quiz_description_types_a_count() -> None:
    fixture = json.loads((FIXTURES / "quiz.json").read_text())
    descriptions = [obj["fields"]["description"] for obj in fixture if obj["model"] == "quiz.quiz"]
    assert descriptions
    assert not [text for text in descriptions if TYPED_COUNT.search(text)]
    assert TYPED_COUNT.search("11 questions across easy, medium, and hard")
    assert TYPED_COUNT.search("a ten-question test")


def test_no_page_template_types_a_count_of_lessons_quizzes_or_questions() -> None:
    root = Path(__file__).resolve().parents[2]
    templates = [
        root / "home/templates/home/home.html",
        root / "lessons/templates/lessons/index.html",
        root / "quiz/templates/quiz/index.html",
    ]
    typed = [path.name for path in templates if TYPED_COUNT.search(path.read_text())]
    assert not typed
