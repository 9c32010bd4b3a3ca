import pytest
from django.core.cache import caches
from django.utils.html import escape

from lessons.library import body_cache_key, compute_templates_stamp
from tests.lessons.conftest import change_form_data


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


def test_editing_a_lesson_in_the_admin_shows_the_new_text_on_the_next_request(
    editor, course
) -> None:
    lesson = course[1]
    assert "Freshly edited paragraph" not in editor.get("/lessons/locmem/").content.decode()
    change_url = f"/admin/lessons/lesson/{lesson.pk}/change/"
    assert editor.get(change_url).status_code == 200
    new_body = lesson.body + "\n\nFreshly edited paragraph.\n"
    response = editor.post(change_url, change_form_data(lesson, body=new_body))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Freshly edited paragraph" in editor.get("/lessons/locmem/").content.decode()


def test_the_rendered_body_is_kept_in_the_shared_default_cache(client, course) -> None:
    client.get("/lessons/redis/")
    cached = caches["default"].get(body_cache_key(course[2]))
    assert "Persistence is a server setting" in cached["html"]


def test_a_fixture_reloaded_with_the_same_timestamps_is_shown_at_once(client, course) -> None:
    assert "Reloaded text" not in client.get("/lessons/why-cache/").content.decode()
    lesson = course[0]
    lesson.body += "\n\nReloaded text.\n"
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
    assert "LocMemCache, renamed" in client.get("/lessons/why-cache/").content.decode()
    assert "LocMemCache, renamed" in client.get("/lessons/").content.decode()


def test_a_deleted_lesson_is_gone_from_the_pages_that_linked_to_it(client, course) -> None:
    assert 'href="/lessons/redis/"' in client.get("/lessons/locmem/").content.decode()
    course[2].delete()
    assert client.get("/lessons/redis/").status_code == 404
    html = client.get("/lessons/locmem/").content.decode()
    assert 'href="/lessons/redis/"' not in html
    assert 'rel="next" href="/lessons/memcached/"' in html


def test_a_deploy_that_changes_the_base_template_changes_every_page_key(tmp_path, settings) -> None:
    before = compute_templates_stamp()
    (tmp_path / "base.html").write_text('<main id="main">{% block content %}{% endblock %}</main>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    assert compute_templates_stamp() != before
