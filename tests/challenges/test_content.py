"""The challenges in fixtures/challenges.json: enough of them, every lesson covered, each valid,
and every answer the live backends give is one a learner could have predicted."""

import pytest
from django.test import Client

from challenges.models import Kind
from challenges.questions import options
from lessons.models import Lesson
from tests.challenges.conftest import actuals, check, first_answers

pytestmark = pytest.mark.django_db


def test_there_are_at_least_sixteen_challenges_and_every_lesson_has_one(challenges) -> None:
    assert len(challenges) >= 16
    covered = {found.lesson_id for found in challenges}
    assert covered == set(Lesson.objects.values_list("pk", flat=True))


def test_every_challenge_and_question_passes_the_admins_validation(challenges) -> None:
    for found in challenges:
        found.full_clean()
        for question in found.questions.all():
            question.full_clean()


def test_every_section_a_challenge_links_is_a_heading_of_its_lesson(challenges) -> None:
    for found in challenges:
        assert found.section in found.lesson.headings(), found.slug


def test_every_question_kind_is_asked_somewhere(challenges) -> None:
    asked = {question.kind for found in challenges for question in found.questions.all()}
    assert asked == set(Kind.values)


@pytest.mark.parametrize("slug", [
    "locmem-on-server-b", "get-or-set-on-a-miss", "the-add-guard", "timeout-zero-and-none",
    "touch-gives-a-new-timeout", "incr-a-missing-key", "incr-round-trips", "what-set-returns",
    "add-on-an-existing-key", "set-many-return-values", "decr-below-zero", "a-key-with-a-space",
    "a-200-character-e-key", "get-many-in-one-round-trip", "memcached-flags",
    "versions-are-part-of-the-key", "delete-twice", "a-shared-rate-limit",
    "a-personal-page-for-everyone", "deleting-a-fragment", "the-stale-set", "a-miss-is-an-answer",
])  # fmt: skip
def test_predicting_what_the_servers_do_scores_full_marks(challenges, slug: str) -> None:
    """Every actual answer is one of the offered choices (or a number in range), so a learner
    who predicts what the live backends do gets every prediction right."""
    client = Client()
    first = check(client, slug, first_answers(next(c for c in challenges if c.slug == slug)))
    assert first.status_code == 200, first.content
    assert first.json()["not_graded"] == 0
    second = check(client, slug, actuals(first))
    assert second.status_code == 200, second.content
    body = second.json()
    assert body["score"] == body["out_of"] == len(body["graded"]) > 0


def test_the_fixture_lists_exactly_the_challenges_tested_above(challenges) -> None:
    listed = test_predicting_what_the_servers_do_scores_full_marks.pytestmark[0].args[1]
    assert sorted(listed) == sorted(found.slug for found in challenges)


def test_value_choices_never_repeat(challenges) -> None:
    for found in challenges:
        for question in found.questions.all():
            values = [option.value for option in options(question)]
            assert len(values) == len(set(values)), (found.slug, question.name)
