"""Lessons are rendered when saved and served fresh: an edit shows on the next request on
every app server, and a repeat visit to an unchanged page is a 304."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils.html import escape

from lessons import outline, page_versions
from lessons.models import Lesson
from lessons.page_versions import SharedPages
from tests.lessons.conftest import change_form_data


@pytest.fixture
def editor(django_user_model) -> Client:
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def app_servers(monkeypatch):
    """Two app servers' memory of shared pages and of the outline; `serve(i)` makes server i
    answer next."""
    memos = [SharedPages(), SharedPages()]
    outlines = [None, None]
    serving = [0]

    def serve(index: int) -> SharedPages:
        outlines[serving[0]] = outline._kept
        monkeypatch.setattr(outline, "_kept", outlines[index])
        monkeypatch.setattr(page_versions, "SHARED_PAGES", memos[index])
        serving[0] = index
        return memos[index]

    return serve


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


def test_an_admin_edit_shows_on_every_app_server_on_the_next_request(
    editor, course, app_servers
) -> None:
    for server in (0, 1):
        app_servers(server)
        assert "Freshly edited paragraph" not in first_visit("/lessons/locmem/")
        assert app_servers(server).pages, "the page was kept for the next first visit"

    lesson = course[1]
    new_body = lesson.body + "\n\nFreshly edited paragraph.\n"
    app_servers(0)
    response = editor.post(
        f"/admin/lessons/lesson/{lesson.pk}/change/", change_form_data(lesson, body=new_body)
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    for server in (1, 0):
        app_servers(server)
        assert "Freshly edited paragraph" in first_visit("/lessons/locmem/")


def test_a_first_visit_page_is_kept_and_served_without_rendering_again(
    course, app_servers, django_assert_num_queries
) -> None:
    outline.new_outline_version()  # as loading the course left it
    memo = app_servers(0)
    html = first_visit("/lessons/redis/")
    assert [slug for slug, _stamp in memo.pages] == ["redis"]
    with django_assert_num_queries(0):  # the outline is kept too, under its shared version
        assert first_visit("/lessons/redis/") == html


def test_a_returning_anonymous_learner_gets_the_kept_page(
    client, course, app_servers, django_assert_num_queries
) -> None:
    memo = app_servers(0)
    html = first_visit("/lessons/redis/")
    client.get("/sandbox/")  # a CSRF cookie
    client.post("/lessons/redis/read/")  # a session: the learner has read the lesson
    assert {"sessionid", "csrftoken"} <= set(client.cookies)
    client.get("/lessons/redis/")
    with django_assert_num_queries(0):
        response = client.get("/lessons/redis/")
    assert response.content.decode() == html
    assert response.templates == []  # served from memory
    assert not response.cookies
    assert len(memo.pages) == 1


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


def test_a_signed_in_learner_gets_another_etag_than_an_anonymous_one(
    client, editor, course
) -> None:
    anonymous = client.get("/lessons/locmem/")["ETag"]
    response = editor.get("/lessons/locmem/", HTTP_IF_NONE_MATCH=anonymous)
    assert response.status_code == 200  # the header shows who is signed in
    assert response["ETag"] != anonymous
    assert "Cookie" in response["Vary"]


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


def test_a_deleted_lesson_is_gone_from_the_pages_that_linked_to_it(client, course) -> None:
    assert 'href="/lessons/redis/"' in first_visit("/lessons/locmem/")
    course[2].questions.all().delete()  # questions protect their lesson
    course[2].delete()
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


def test_without_the_outline_version_in_the_cache_the_outline_is_read_from_the_database(
    client, course
) -> None:
    client.get("/lessons/why-cache/")
    client.get("/lessons/why-cache/")  # the outline is kept under the shared version
    Lesson.objects.filter(slug="locmem").update(title="Renamed behind Django's back")
    caches["default"].clear()  # Redis restarted empty: the version is gone
    assert "Renamed behind Django" in client.get("/lessons/why-cache/").content.decode()
