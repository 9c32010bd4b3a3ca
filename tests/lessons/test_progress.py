"""Lesson progress lives in the database for every learner and follows them when they sign in."""

import pytest
from django.test import Client

from learners.identity import Learner
from lessons.models import Lesson, Reading
from lessons.progress import lessons_read, mark_read, reading_progress

PASSWORD = "correct horse 42"


@pytest.fixture
def ada(django_user_model):
    return django_user_model.objects.create_user("ada", "ada@example.com", PASSWORD)


def mark(client: Client, slug: str, **headers) -> None:
    response = client.post(f"/lessons/{slug}/read/", headers=headers)
    assert response.status_code in (200, 302), response.content[:500]


def test_marking_a_lesson_read_without_javascript_shows_it_on_the_panel_and_the_list(
    client, course
) -> None:
    response = client.post("/lessons/redis/read/")
    assert response.status_code == 302 and response["Location"] == "/lessons/redis/read/"
    page = client.get("/lessons/redis/read/").content.decode()
    assert "✓ You have read this lesson." in page and "Mark as read" not in page
    assert 'href="/lessons/memcached/">Next lesson: Memcached' in page
    html = client.get("/lessons/").content.decode()
    assert f"You have read 1 of {Lesson.objects.count()} lessons." in html
    assert html.count("✓ Read") == 1


def test_marking_a_lesson_read_with_htmx_swaps_in_the_read_panel(client, course) -> None:
    panel = client.get("/lessons/locmem/read/", headers={"HX-Request": "true"})
    html = panel.content.decode()
    assert html.lstrip().startswith('<div class="read-panel"')
    assert 'hx-post="/lessons/locmem/read/"' in html and "csrfmiddlewaretoken" in html
    assert "HX-Request" in panel["Vary"]
    response = client.post("/lessons/locmem/read/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "✓ You have read this lesson." in response.content.decode()
    assert "<html" not in response.content.decode()


def test_the_lesson_page_loads_the_read_panel_when_its_end_is_reached_with_a_link_without_js(
    client, course
) -> None:
    html = client.get("/lessons/locmem/").content.decode()
    assert 'hx-get="/lessons/locmem/read/" hx-trigger="revealed"' in html
    assert '<a href="/lessons/locmem/read/">Finished? Mark this lesson as read</a>' in html


def test_marking_a_lesson_read_needs_the_csrf_token(course) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/lessons/redis/read/").status_code == 403
    assert not Reading.objects.exists()


def test_marking_an_unknown_lesson_read_is_a_404(client, course) -> None:
    assert client.post("/lessons/no-such-lesson/read/").status_code == 404
    assert not Reading.objects.exists()


def test_marking_a_lesson_read_twice_keeps_one_reading(client, course) -> None:
    mark(client, "redis")
    mark(client, "redis")
    assert Reading.objects.count() == 1


def test_one_learners_readings_never_show_for_another(course) -> None:
    reader, other = Client(), Client()
    mark(reader, "redis")
    assert (
        f"You have read 0 of {Lesson.objects.count()} lessons."
        in other.get("/lessons/").content.decode()
    )
    other_panel = other.get("/lessons/redis/read/").content.decode()
    assert "Mark as read" in other_panel and "✓ You have read" not in other_panel


def test_lessons_read_and_reading_progress_list_a_learners_lessons_in_course_order(
    course,
) -> None:
    learner, other = Learner(visitor="v-one"), Learner(visitor="v-two")
    mark_read(learner, course[3])
    mark_read(learner, course[0])
    mark_read(other, course[1])
    assert lessons_read(learner) == {"why-cache", "memcached"}
    progress = reading_progress(learner)
    assert [row.slug for row in progress] == [lesson.slug for lesson in course]
    assert [row.is_read for row in progress] == [
        lesson.slug in {"why-cache", "memcached"} for lesson in course
    ]
    assert progress[0].url == "/lessons/why-cache/" and progress[0].read_at is not None
    assert lessons_read(Learner()) == set()  # a visitor who has done nothing yet


def test_signing_in_moves_the_visitors_readings_to_the_account_without_duplicates(
    client, course, ada
) -> None:
    signed_in_elsewhere = Client()
    signed_in_elsewhere.login(username="ada", password=PASSWORD)
    mark(signed_in_elsewhere, "redis")  # the account had read Redis already

    mark(client, "redis")
    mark(client, "locmem")
    assert client.login(username="ada", password=PASSWORD)

    assert lessons_read(Learner(user_id=ada.pk)) == {"redis", "locmem"}
    assert Reading.objects.count() == 2
    assert not Reading.objects.filter(user__isnull=True).exists()
    # and on another device, after logging in
    other_device = Client()
    other_device.login(username="ada", password=PASSWORD)
    assert (
        f"You have read 2 of {Lesson.objects.count()} lessons."
        in other_device.get("/lessons/").content.decode()
    )


def test_reading_a_lesson_page_records_nothing(client, course) -> None:
    client.get("/lessons/redis/")
    client.get("/lessons/redis/read/")
    assert not Reading.objects.exists()
