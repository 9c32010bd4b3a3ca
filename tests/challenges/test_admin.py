"""Instructors edit challenges and their questions in the admin; a question must name a line
or key of its challenge's code, and learners' results are listed."""

import pytest
from django.contrib.auth import get_user_model

from challenges.models import Challenge, Result
from tests.challenges.conftest import check, first_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw-admin-42")
    client.force_login(user)
    return client


def test_the_admin_lists_and_opens_challenges_and_results(challenges, admin_client) -> None:
    found = challenges[0]
    check(admin_client, found.slug, first_answers(found))
    assert admin_client.get("/admin/challenges/challenge/").status_code == 200
    page = admin_client.get(f"/admin/challenges/challenge/{found.pk}/change/").content.decode()
    assert "cache.set(&#x27;homepage&#x27;, &#x27;&lt;h1&gt;Welcome&lt;/h1&gt;&#x27;" in page
    assert page.count('name="questions-') > 10  # the questions, inline
    assert admin_client.get("/admin/challenges/result/").status_code == 200
    row = Result.objects.get()
    assert admin_client.get(f"/admin/challenges/result/{row.pk}/change/").status_code == 200


def change_form(found: Challenge, **question) -> dict:
    data = {
        "slug": found.slug,
        "title": found.title,
        "order": found.order,
        "lesson": found.lesson_id,
        "section": found.section,
        "intro": found.intro,
        "code": found.code,
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    fields = {
        "order": "9",
        "kind": "value",
        "line": "",
        "key": "",
        "backends": "",
        "choices": "",
        "tolerance": "2",
    }
    data.update({f"questions-0-{name}": value for name, value in {**fields, **question}.items()})
    return data


def test_a_question_about_a_line_without_a_call_is_refused(challenges, admin_client) -> None:
    found = Challenge.objects.get(slug="incr-round-trips")
    url = f"/admin/challenges/challenge/{found.pk}/change/"
    data = change_form(found, line="7", choices="None")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert (
        "Name a line of the challenge&#x27;s code that holds a call." in response.content.decode()
    )


def test_code_the_sandbox_cannot_run_is_refused(challenges, admin_client) -> None:
    found = Challenge.objects.get(slug="incr-round-trips")
    data = change_form(found, line="1", choices="None")
    data["code"] = "cache.set('k', open('f'))"
    response = admin_client.post(f"/admin/challenges/challenge/{found.pk}/change/", data)
    assert "is not a literal" in response.content.decode()
