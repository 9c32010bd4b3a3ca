"""`manage.py loadcontent`: a release's content reaches a database filled by the previous
release, where learners answered questions and an instructor edited some in the admin."""

import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from lessons.models import Lesson
from lessons.rendering import render_body
from ops.fixtures import takes_part
from ops.models import ReleasedRow
from quiz.content import QUIZ_CONTENT, quiz_content
from quiz.models import Choice, Question, Quiz
from sandbox.models import Explanation
from tests.admin_forms import save_in_admin
from tests.quiz.conftest import answer, pick, start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_course")]

CURRENT = Path(settings.BASE_DIR) / "fixtures"
RELEASE_1 = Path(__file__).resolve().parent.parent / "fixtures" / "release-1"
OLD_CLOSING = "\n\nA closing paragraph release 2 leaves out.\n"
NEW_QUESTION = 100


def read(path: Path) -> list[dict]:
    return json.loads(path.read_text())


def write(directory: Path, name: str, objects: list[dict]) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(json.dumps(objects, indent=2))
    return path


def find(objects: list[dict], model: str, **match) -> dict:
    return next(
        obj
        for obj in objects
        if obj["model"] == model
        and all(
            (obj.get("pk") if k == "pk" else obj["fields"].get(k)) == v for k, v in match.items()
        )
    )


def without_question(objects: list[dict], pk: int) -> list[dict]:
    """The fixture without question `pk` and its choices, solution and steps."""
    return [
        obj
        for obj in objects
        if not (obj["model"] == "quiz.question" and obj["pk"] == pk)
        and obj["fields"].get("question") != pk
    ]


def release_1_lessons() -> list[dict]:
    """The lessons as release 1 wrote them (with pks): memcached's summary and locmem's body
    were older."""
    lessons = read(CURRENT / "lessons.json")
    for pk, obj in enumerate(lessons, start=1):
        obj["pk"] = pk
    find(lessons, "lessons.lesson", slug="memcached")["fields"]["summary"] = "An older summary."
    locmem = find(lessons, "lessons.lesson", slug="locmem")["fields"]
    locmem["body"] += OLD_CLOSING
    locmem["body_html"] = render_body(locmem["body"])["html"]
    return lessons


def release_2_quiz() -> list[dict]:
    """This release's quiz content, with the changes release 2 makes."""
    quiz = read(CURRENT / "quiz.json")
    find(quiz, "quiz.question", pk=1)["fields"]["prompt"] += " (release 2)"
    second = find(quiz, "quiz.question", pk=2)["fields"]
    second["prompt"] += " (release 2)"
    second["follow_up"] = "Release 2 adds this follow-up."
    quiz = without_question(without_question(quiz, 3), 4)
    return [*quiz, *new_question()]


def new_question() -> list[dict]:
    question = {"quiz": 1, "order": 9, "difficulty": "easy", "lesson": ["locmem"],
                "section": "one-store-per-process", "prompt": "New in release 2?",
                "code": "", "follow_up": ""}  # fmt: skip
    choices = [
        {"question": NEW_QUESTION, "order": order, "text": text, "is_correct": right, "why": "."}
        for order, (text, right) in enumerate([("Yes", True), ("No", False)], start=1)
    ]
    solution = {"question": NEW_QUESTION, "final_answer": "Yes", "quick_check": "Check.",
                "hint": "Hint.", "common_mistakes": "One.\nTwo.\nThree."}  # fmt: skip
    steps = [
        {"question": NEW_QUESTION, "order": n, "title": f"Step {n}", "text": "."} for n in (1, 2)
    ]
    return [
        {"model": "quiz.question", "pk": NEW_QUESTION, "fields": question},
        *({"model": "quiz.choice", "pk": 1000 + n, "fields": c} for n, c in enumerate(choices)),
        {"model": "quiz.solution", "pk": NEW_QUESTION, "fields": solution},
        *({"model": "quiz.step", "pk": 1000 + n, "fields": s} for n, s in enumerate(steps)),
    ]


def release_2_sandbox() -> list[dict]:
    sandbox = read(CURRENT / "sandbox.json")
    find(sandbox, "sandbox.explanation", pk=1)["fields"]["explanation"] += " (release 2)"
    return sandbox


def release_2_lessons() -> list[dict]:
    lessons = read(CURRENT / "lessons.json")
    find(lessons, "lessons.lesson", slug="redis")["fields"]["summary"] = "Redis, release 2."
    return lessons


@pytest.fixture
def releases(tmp_path: Path) -> tuple[list[str], list[str]]:
    """Release 1's fixture files (the released quiz and sandbox fixtures, which name
    lessons by slug) and release 2's, as `make db` passes them."""
    one = [
        write(tmp_path / "1", "lessons.json", release_1_lessons()),
        RELEASE_1 / "quiz.json",
        RELEASE_1 / "sandbox.json",
    ]
    two = [
        write(tmp_path / "2", "lessons.json", release_2_lessons()),
        write(tmp_path / "2", "quiz.json", release_2_quiz()),
        write(tmp_path / "2", "sandbox.json", release_2_sandbox()),
    ]
    return [str(p) for p in one], [str(p) for p in two]


def loadcontent(*paths: str, **options) -> str:
    out = io.StringIO()
    call_command("loadcontent", *paths, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def editor(django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("editor", password="pw"))
    return client


def counts() -> dict[str, int]:
    """Rows of every model that takes part in content releases."""
    models = [model for model in apps.get_models() if takes_part(model)]
    return {model._meta.label_lower: model.objects.count() for model in models}


def test_a_new_database_gets_every_fixture_object_and_a_second_run_changes_nothing(
    django_capture_on_commit_callbacks,
) -> None:
    fixtures = sorted(map(str, CURRENT.glob("*.json")))
    out = loadcontent(*fixtures)
    expected: dict[str, int] = {}
    questions = {}
    for path in fixtures:
        for obj in read(Path(path)):
            expected[obj["model"]] = expected.get(obj["model"], 0) + 1
            if obj["model"] == "quiz.question":
                questions[obj["pk"]] = obj["fields"]["lesson"]
    assert counts() == expected
    assert f"Content: {sum(expected.values())} rows made, 0 updated" in out
    found = Question.objects.values_list("pk", "lesson__slug")
    assert {pk: [slug] for pk, slug in found} == questions
    unchanged = f"Content: {sum(expected.values())} objects, all as the database has them.\n"
    generation = QUIZ_CONTENT.current()
    with django_capture_on_commit_callbacks() as invalidations:
        assert loadcontent(*fixtures) == unchanged
    assert invalidations == [] and QUIZ_CONTENT.current() == generation  # no cache dropped


def test_a_release_reaches_a_database_filled_by_the_previous_one_keeping_admin_edits(
    releases, editor
) -> None:
    one, two = releases
    loadcontent(*one)
    learner = Client()
    attempt = start(learner, "practice")
    answered = Question.objects.get(pk=4)
    assert answer(learner, attempt, answered, pick(answered, correct=True).pk).status_code == 302
    edited = save_in_admin(editor, "/admin/quiz/question/2/change/", "question_form",
                           prompt="The instructor's prompt.")  # fmt: skip
    assert edited.status_code == 302, edited.content.decode()[:2000]
    redis_lesson = Lesson.objects.get(slug="redis")
    edited = save_in_admin(editor, f"/admin/lessons/lesson/{redis_lesson.pk}/change/",
                           "lesson_form", summary="The instructor's summary.")  # fmt: skip
    assert edited.status_code == 302
    practice = Quiz.objects.get(slug="practice")
    assert len(quiz_content(practice)) == 5  # kept in the shared cache and in this process

    out = loadcontent(*two)

    assert Question.objects.get(pk=1).prompt.endswith(" (release 2)")
    second = Question.objects.get(pk=2)
    assert second.prompt == "The instructor's prompt."
    assert second.follow_up == "Release 2 adds this follow-up."
    assert "quiz.question 2 (quiz.json): prompt" in out
    new = Question.objects.get(prompt="New in release 2?")
    assert new.lesson.slug == "locmem" and new.choices.count() == 2 and new.steps.count() == 2
    assert new.solution.final_answer == "Yes"
    assert not Question.objects.filter(pk=3).exists()
    assert Question.objects.filter(pk=4).exists()  # a learner answered it
    assert "quiz.question 4 (quiz.json): learners' answers depend on it\n" in out
    assert Choice.objects.filter(question_id=4).count() == 4  # kept with their question
    assert "quiz.choice 13" not in out
    assert Explanation.objects.get(pk=1).explanation.endswith(" (release 2)")
    assert Lesson.objects.get(slug="memcached").summary != "An older summary."
    assert Lesson.objects.get(slug="redis").summary == "The instructor's summary."
    locmem = Lesson.objects.get(slug="locmem")
    assert "closing paragraph release 2 leaves out" not in locmem.body + locmem.body_html
    assert locmem.body_html == find(read(CURRENT / "lessons.json"), "lessons.lesson",
                                    slug="locmem")["fields"]["body_html"]  # fmt: skip
    shown = [q.prompt for q in quiz_content(Quiz.objects.get(slug="practice"))]
    assert shown[0].endswith(" (release 2)") and "New in release 2?" in shown
    assert "all as the database has them" in loadcontent(*two)


def test_a_row_deleted_in_the_admin_is_not_made_again(releases, editor) -> None:
    one, two = releases
    loadcontent(*one)
    response = editor.post("/admin/quiz/question/1/delete/", {"post": "yes"})
    assert response.status_code == 302
    out = loadcontent(*two)  # release 2 changes question 1's prompt
    assert not Question.objects.filter(pk=1).exists()
    assert "Deleted in the admin, not made again:\n  quiz.question 1 (quiz.json)" in out


def test_a_new_object_whose_pk_an_instructor_took_gets_another(releases) -> None:
    one, two = releases
    loadcontent(*one)
    redis = Lesson.objects.get(slug="redis")
    theirs = Question.objects.create(
        quiz_id=1, order=50, difficulty="easy", section="x", lesson=redis, prompt="Mine"
    )
    taken = theirs.pk  # the database's next id (25 in a new database)
    two_quiz = Path(two[1])
    quiz = read(two_quiz)
    for obj in quiz:
        if obj["pk"] == NEW_QUESTION and obj["model"] in {"quiz.question", "quiz.solution"}:
            obj["pk"] = taken
        if obj["fields"].get("question") == NEW_QUESTION:
            obj["fields"]["question"] = taken
    two_quiz.write_text(json.dumps(quiz))
    loadcontent(*two)
    assert Question.objects.get(pk=taken).prompt == "Mine"
    new = Question.objects.get(prompt="New in release 2?")
    assert new.pk > taken and new.choices.count() == 2 and new.solution.hint == "Hint."
    assert not Choice.objects.filter(question=theirs).exists()


def test_a_lesson_renamed_in_the_admin_keeps_its_questions_through_a_release(releases) -> None:
    one, two = releases
    loadcontent(*one)
    lesson = Lesson.objects.get(slug="locmem")
    lesson.slug = "locmem-cache"
    lesson.save()
    loadcontent(*two)
    assert not Lesson.objects.filter(slug="locmem").exists()
    assert Question.objects.get(prompt="New in release 2?").lesson == lesson
    assert "closing paragraph" not in Lesson.objects.get(pk=lesson.pk).body


def test_a_database_filled_without_records_keeps_what_differs_unless_its_release_comes_first(
    releases,
) -> None:
    one, two = releases
    loadcontent(*one)
    ReleasedRow.objects.all().delete()  # as the loadcontent before releases left it
    out = loadcontent(*two)
    assert not Question.objects.get(pk=1).prompt.endswith(" (release 2)")
    assert "quiz.question 1 (quiz.json), found without a record: prompt" in out
    assert Question.objects.filter(prompt="New in release 2?").exists()

    ReleasedRow.objects.all().delete()
    loadcontent(*one)  # the release that filled it: every field the same, so recorded as is
    loadcontent(*two)
    assert Question.objects.get(pk=2).prompt.endswith(" (release 2)")


def test_a_dry_run_changes_nothing(releases) -> None:
    one, two = releases
    loadcontent(*one)
    before = counts()
    out = loadcontent(*two, dry_run=True)
    assert "Updated:" in out and out.endswith("Dry run: nothing was changed.\n")
    assert counts() == before
    assert not Question.objects.get(pk=1).prompt.endswith(" (release 2)")


def test_rows_made_with_the_fixtures_pks_leave_new_rows_other_pks(releases) -> None:
    loadcontent(*releases[0])
    quiz = Quiz.objects.create(slug="made-here", title="Made here")
    assert quiz.pk > 4


def test_a_fixture_naming_a_lesson_no_fixture_has_is_refused_and_changes_nothing(
    releases, tmp_path
) -> None:
    quiz = read(RELEASE_1 / "quiz.json")
    find(quiz, "quiz.question", pk=1)["fields"]["lesson"] = "no-such-lesson"
    broken = write(tmp_path / "broken", "quiz.json", quiz)
    with pytest.raises(
        CommandError, match=r'quiz.question 1 \(quiz.json\): its lesson \["no-such-lesson"\]'
    ):
        loadcontent(releases[0][0], str(broken))
    assert counts()["lessons.lesson"] == 0


def test_other_models_load_only_into_empty_tables_and_never_beside_content(tmp_path) -> None:
    groups = write(tmp_path, "groups.json", [{"model": "auth.group", "fields": {"name": "A"}}])
    assert "loaded into empty tables" in loadcontent(str(groups))
    assert "skipped, already has auth.group rows" in loadcontent(str(groups))
    lesson = find(read(CURRENT / "lessons.json"), "lessons.lesson", slug="redis")
    mixed = write(tmp_path, "mixed.json", [*read(groups), lesson])
    with pytest.raises(CommandError, match="release content and other models in one fixture"):
        loadcontent(str(mixed))


def test_an_object_the_database_refuses_is_named_and_the_rest_of_the_release_arrives(
    releases,
) -> None:
    one, two = releases
    loadcontent(*one)
    Quiz.objects.create(slug="caching-pages", title="An instructor's quiz")
    two_quiz = Path(two[1])
    quiz = read(two_quiz)
    new_quiz = {"slug": "caching-pages", "title": "Release 2's quiz", "description": "", "order": 5}
    quiz.append({"model": "quiz.quiz", "pk": 5, "fields": new_quiz})
    find(quiz, "quiz.question", pk=NEW_QUESTION)["fields"]["quiz"] = 5
    two_quiz.write_text(json.dumps(quiz))
    out = loadcontent(*two)
    assert Quiz.objects.get(slug="caching-pages").title == "An instructor's quiz"
    assert "quiz.quiz 5 (quiz.json): UNIQUE constraint" in out or "duplicate key" in out
    assert "quiz.question 100 (quiz.json): its quiz 5 was not made" in out
    assert "quiz.choice 1000 (quiz.json): its question 100 was not made" in out
    assert Question.objects.get(pk=1).prompt.endswith(" (release 2)")


def test_a_field_a_release_gives_for_the_first_time_reaches_every_row(releases, tmp_path) -> None:
    """As when a migration adds a field and the release's fixture fills it in."""
    one, two = releases
    sandbox = read(RELEASE_1 / "sandbox.json")
    for obj in sandbox:
        del obj["fields"]["example"]
    one[2] = str(write(tmp_path / "1", "sandbox.json", sandbox))
    loadcontent(*one)
    assert set(Explanation.objects.values_list("example", flat=True)) == {""}
    loadcontent(*two)
    examples = dict(Explanation.objects.values_list("pk", "example"))
    assert examples == {obj["pk"]: obj["fields"]["example"] for obj in read(Path(two[2]))}
