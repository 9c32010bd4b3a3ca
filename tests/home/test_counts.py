"""Counts and names in the prose of the home page, the lesson list and the quiz list come from
the database (issue 18, corrections 3 and 4): add a lesson, a quiz or a question and the
sentences follow."""

import html
import json
import re
from pathlib import Path

import pytest
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
    """The lessons and quizzes: in the test database for the session (tests/conftest.py)."""


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


def counted(count: int, noun: str, plural: str = "s") -> str:
    """What the pages say for a count, at the start of a sentence: "Six short lessons"."""
    return f"{in_words(count).capitalize()} {noun}{plural if count != 1 else ''}"


def lesson_names() -> str:
    return quoted_list(lesson.short_title for lesson in Lesson.objects.all())


def quiz_names() -> str:
    return quoted_list(Quiz.objects.values_list("title", flat=True))


def test_the_home_page_counts_and_names_every_lesson_and_every_quiz(client, course) -> None:
    # The course's fixtures hold (at least) the six lessons and four quizzes issue 18 counted.
    assert Lesson.objects.count() >= 6 and Quiz.objects.count() >= 4

    text = text_of(client, "/")

    lessons = counted(Lesson.objects.count(), "short lesson")
    assert f"{lessons}: {lesson_names()}." in text
    assert "“Caching whole pages and fragments”" in text
    assert f"{counted(Quiz.objects.count(), 'quiz', 'zes')}: {quiz_names()}." in text


def test_the_home_page_follows_a_lesson_or_quiz_added_to_the_database(client, course) -> None:
    lessons, quizzes = Lesson.objects.count(), Quiz.objects.count()
    add_lesson("An extra lesson")
    Quiz.objects.create(slug="extra", title="An extra quiz", order=99)

    text = text_of(client, "/")

    assert f"{counted(lessons + 1, 'short lesson')}: " in text
    assert "and “An extra lesson”." in text
    assert f"{counted(quizzes + 1, 'quiz', 'zes')}: " in text and "and “An extra quiz”." in text


def test_the_lesson_list_describes_itself_from_the_database(client, course) -> None:
    lessons = Lesson.objects.count()
    described = description_of(client, "/lessons/")
    assert (
        described == f"{counted(lessons, 'lesson')} on Django's cache backends: {lesson_names()}."
    )
    add_lesson("An extra lesson")

    described = description_of(client, "/lessons/")

    assert described.startswith(f"{counted(lessons + 1, 'lesson')} on Django's cache backends: ")
    assert described.endswith(" and “An extra lesson”.")


def test_the_quiz_list_counts_questions_and_lessons_from_the_database(client, course) -> None:
    test = Quiz.objects.get(slug="test")
    questions = test.questions.count()
    lessons = test.questions.values("lesson").distinct().count()
    described = description_of(client, "/quiz/")
    assert "ten-question" not in described
    assert f": {in_words(Quiz.objects.count())} quizzes ({quiz_names()})," in described
    shown = rf"Test this pattern [^·]* {questions} questions from {in_words(lessons)} lessons ·"
    assert re.search(shown, text_of(client, "/quiz/"))

    question = test.questions.first()
    question.pk = None
    question.lesson = add_lesson("An extra lesson")
    question.save()

    shown = rf"Test this pattern [^·]* {questions + 1} questions from {in_words(lessons + 1)} "
    assert re.search(shown, text_of(client, "/quiz/"))


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
