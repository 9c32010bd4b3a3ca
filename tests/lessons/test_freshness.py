"""Lessons are rendered when saved and served fresh: an edit shows on the next request on
every app server (nothing of a lesson is kept in a process or a cache), and a repeat visit
to an unchanged page is a 304."""

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from lessons.models import Lesson
from tests.lessons.conftest import change_form_data


@pytest.fixture
def editor(django_user_model) -> Client:
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client


def first_visit(path: str) -> str:
    """A GET from a browser without cookies, as a new visitor's first request."""
    return Client().get(path).content.decode()


def test_saving_a_lesson_stores_its_rendered_body_and_table_of_contents(db) -> None:
    lesson = Lesson.objects.create(
        slug="s", title="S", order=1, summary="s", body="## Keys\n\nText.\n" + "word " * 450
    )
    lesson.refresh_from_db()
    assert '<h2 id="keys">Keys</h2>' in lesson.body_html
    assert lesson.toc == [{"id": "keys", "text": "Keys", "children": []}]
    assert lesson.reading_minutes == 3
    lesson.body = "## Values\n"
    lesson.save(update_fields=["body"])
    lesson.refresh_from_db()
    assert lesson.toc[0]["id"] == "values" and "Keys" not in lesson.body_html


def test_the_fixture_carries_each_lessons_rendered_body(course) -> None:
    for lesson in course:
        stored = (lesson.body_html, lesson.toc, lesson.reading_minutes)
        lesson.render()
        assert stored == (lesson.body_html, lesson.toc, lesson.reading_minutes), lesson.slug


def test_an_admin_edit_shows_on_the_next_request(editor, course) -> None:
    assert "Freshly edited paragraph" not in first_visit("/lessons/locmem/")
    lesson = course[1]
    new_body = lesson.body + "\n\nFreshly edited paragraph.\n"
    response = editor.post(
        f"/admin/lessons/lesson/{lesson.pk}/change/", change_form_data(lesson, body=new_body)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Freshly edited paragraph" in first_visit("/lessons/locmem/")


def test_a_lesson_page_never_reads_the_session_and_is_the_same_for_everyone(editor, course) -> None:
    anonymous = Client().get("/lessons/redis/")
    with CaptureQueriesContext(connection) as queries:
        signed_in = editor.get("/lessons/redis/")
    assert not [query for query in queries if "django_session" in query["sql"]]
    assert signed_in.content == anonymous.content
    assert signed_in["ETag"] == anonymous["ETag"]
    assert "Cookie" not in signed_in.get("Vary", "")
    assert signed_in["Cache-Control"] == "public, no-cache"
    assert not signed_in.cookies and "editor" not in signed_in.content.decode()


def test_a_repeat_visit_to_an_unchanged_lesson_is_a_304(client, course) -> None:
    first = client.get("/lessons/memcached/")
    assert first.status_code == 200 and first["ETag"]
    again = client.get("/lessons/memcached/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_an_edit_to_the_lesson_or_a_neighbour_changes_the_etag(client, course) -> None:
    etag = client.get("/lessons/locmem/")["ETag"]
    course[2].title = "Redis, renamed"  # the next lesson: its title is in locmem's pager
    course[2].save()
    response = client.get("/lessons/locmem/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Redis, renamed" in response.content.decode()
    assert response["ETag"] != etag


def test_a_fixture_reloaded_with_the_same_timestamps_is_shown_at_once(client, course) -> None:
    assert "Reloaded text" not in client.get("/lessons/why-cache/").content.decode()
    lesson = course[0]
    lesson.body += "\n\nReloaded text.\n"
    lesson.render()
    lesson.save_base(raw=True)  # what loaddata does: updated_at keeps the fixture's value
    assert "Reloaded text" in client.get("/lessons/why-cache/").content.decode()


def test_the_admin_lists_lessons_in_course_order(editor, course) -> None:
    html = editor.get("/admin/lessons/lesson/").content.decode()
    positions = [html.index(escape(lesson.title)) for lesson in course]
    assert positions == sorted(positions)


def test_renaming_a_lesson_updates_its_neighbours_and_the_list_at_once(client, course) -> None:
    client.get("/lessons/why-cache/")
    client.get("/lessons/")
    lesson = course[1]
    lesson.title = "LocMemCache, renamed"
    lesson.save()
    assert "LocMemCache, renamed" in first_visit("/lessons/why-cache/")
    assert "LocMemCache, renamed" in client.get("/lessons/").content.decode()


def delete_with_what_protects_it(lesson: Lesson) -> None:
    """As an instructor would: the questions, challenges... pointing at it first."""
    try:
        lesson.delete()
    except ProtectedError as refused:
        for row in refused.protected_objects:
            row.delete()
        lesson.delete()


def test_a_deleted_lesson_is_gone_from_the_pages_that_linked_to_it(client, course) -> None:
    assert 'href="/lessons/redis/"' in first_visit("/lessons/locmem/")
    delete_with_what_protects_it(course[2])
    assert client.get("/lessons/redis/").status_code == 404
    html = first_visit("/lessons/locmem/")
    assert 'href="/lessons/redis/"' not in html
    assert 'rel="next" href="/lessons/memcached/"' in html


def test_an_unknown_lab_figures_topic_is_refused_in_the_admin_with_a_message(
    editor, course
) -> None:
    lesson = course[1]
    body = lesson.body + "\n```lab-figures\nno-such-topic\n```\n"
    response = editor.post(
        f"/admin/lessons/lesson/{lesson.pk}/change/", change_form_data(lesson, body=body)
    )
    assert response.status_code == 200  # the form again, with the message
    assert "no-such-topic" in response.content.decode()
    assert "cold-warm" in response.content.decode()
    lesson.refresh_from_db()
    assert "no-such-topic" not in lesson.body
