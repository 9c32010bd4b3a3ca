"""quiz 0005-0007: questions and attempts stop pointing at a lesson's slug, on a database
filled the way production databases were: the previous migrations, then the released
fixtures (questions naming their lesson by slug), then learners' attempts."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lessons.models import Lesson
from quiz.models import Attempt, Question

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_course")]

RELEASE_1 = Path(__file__).resolve().parent.parent / "fixtures" / "release-1"
LESSONS = Path(__file__).resolve().parent.parent.parent / "fixtures" / "lessons.json"
BEFORE = [("lessons", "0003_reading"), ("quiz", "0004_question_sets")]
QUIZ_MODELS = {"quiz.quiz": "Quiz", "quiz.question": "Question", "quiz.choice": "Choice"}


def migrate(targets: list[tuple[str, str]]):
    """Migrate to `targets`; the historical models there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def fill_as_released(apps) -> dict[str, int]:
    """The released lessons and quiz content through the old models; the slugs' lesson pks.
    The lessons get pks in reverse order, so a slug never equals its lesson's pk by chance."""
    Lesson = apps.get_model("lessons", "Lesson")
    lessons = json.loads(LESSONS.read_text())
    for pk, item in enumerate(reversed(lessons), start=10):
        fields = {name: item["fields"][name] for name in ("slug", "title", "order", "body")}
        Lesson.objects.create(pk=pk, summary="", **fields)
    for item in json.loads((RELEASE_1 / "quiz.json").read_text()):
        if item["model"] not in QUIZ_MODELS:
            continue
        model = apps.get_model("quiz", QUIZ_MODELS[item["model"]])
        fields = {
            (f"{name}_id" if name in {"quiz", "question", "lesson"} else name): value
            for name, value in item["fields"].items()
        }
        model.objects.create(pk=item["pk"], **fields)
    return dict(Lesson.objects.values_list("slug", "pk"))


@pytest.fixture
def restore_schema():
    yield
    migrate(latest())


def test_questions_and_attempts_keep_their_lessons_through_the_migration(restore_schema):
    old = migrate(BEFORE)
    pks = fill_as_released(old)
    old_attempt = old.get_model("quiz", "Attempt")
    old_attempt.objects.create(kind="lesson", lesson_id="locmem", visitor="v1", is_first=False)
    old_attempt.objects.create(kind="review", visitor="v2", is_first=False)
    slug_of_question = dict(old.get_model("quiz", "Question").objects.values_list("pk", "lesson"))
    versions = dict(old.get_model("quiz", "Quiz").objects.values_list("pk", "content_version"))
    assert len(set(slug_of_question.values())) > 1 and set(slug_of_question.values()) <= set(pks)

    switched = migrate([("quiz", "0007_lesson_by_primary_key_switch")])
    for pk, version in switched.get_model("quiz", "Quiz").objects.values_list(
        "pk", "content_version"
    ):
        assert version != versions[pk]  # nothing kept from before is served (until 0008)
    migrate(latest())

    questions = Question.objects.select_related("lesson")
    assert {q.pk: q.lesson.slug for q in questions} == slug_of_question
    assert {q.pk: q.lesson_id for q in questions} == {
        pk: pks[slug] for pk, slug in slug_of_question.items()
    }
    lesson_attempt, review = Attempt.objects.order_by("pk")
    assert lesson_attempt.lesson_id == pks["locmem"] and review.lesson_id is None


def test_a_renamed_slug_keeps_the_lessons_questions_and_attempts(restore_schema, client):
    fill_as_released(migrate(BEFORE))
    migrate(latest())
    lesson = Lesson.objects.get(slug="locmem")
    count = lesson.questions.count()
    lesson.slug = "locmem-cache"
    lesson.save()
    assert Question.objects.filter(lesson__slug="locmem-cache").count() == count > 0
    assert client.get("/quiz/lessons/locmem-cache/").status_code == 200


def test_going_back_puts_the_slugs_back(restore_schema):
    fill_as_released(migrate(BEFORE))
    migrate(latest())
    slug_of_question = dict(Question.objects.values_list("pk", "lesson__slug"))
    old_question = migrate(BEFORE).get_model("quiz", "Question")
    assert dict(old_question.objects.values_list("pk", "lesson")) == slug_of_question
