import re
from urllib.parse import parse_qs, urlsplit

import pytest

from lessons.examples import sandbox_examples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_reads_a_lesson_pages_through_and_opens_an_example_in_the_sandbox(
    page, course
) -> None:
    page.goto("/lessons/")
    page.get_by_role("link", name=course[0].title).click()
    page.wait_for_url(re.compile(r"/lessons/why-cache/$"))
    assert page.get_by_role("heading", level=1).inner_text() == course[0].title

    pager = page.get_by_role("navigation", name="Previous and next lesson")
    pager.get_by_role("link", name=re.compile("Next lesson")).click()
    page.wait_for_url(re.compile(r"/lessons/locmem/$"))
    assert page.get_by_role("heading", level=1).inner_text() == course[1].title
    pager.get_by_role("link", name=re.compile("Previous lesson")).click()
    page.wait_for_url(re.compile(r"/lessons/why-cache/$"))

    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Optimization tips"
    ).click()
    assert page.evaluate("location.hash") == "#optimization-tips"

    page.get_by_role("link", name=re.compile("Run in sandbox")).first.click()
    page.wait_for_url(re.compile(r"/sandbox/\?code="))
    assert parse_qs(urlsplit(page.url).query)["code"] == [sandbox_examples(course[0])[0]]


def test_a_learner_reaches_the_end_of_a_lesson_and_marks_it_read(page, course, tmp_path) -> None:
    page.goto("/lessons/redis/")
    mark = page.get_by_role("button", name="Mark as read")
    assert not mark.is_visible()  # the panel loads only when the end scrolls into view
    page.locator("#lesson-end").scroll_into_view_if_needed()
    mark.click()
    page.get_by_text("✓ You have read this lesson.").wait_for()
    assert page.url.endswith("/lessons/redis/")  # swapped in place by htmx
    page.screenshot(path=tmp_path / "lesson-end.png", full_page=False)

    page.goto("/lessons/")
    assert page.locator(".lesson-card", has_text="✓ Read").count() == 1
    assert page.get_by_text(f"You have read 1 of {len(course)} lessons.").is_visible()


def test_marking_a_lesson_read_works_without_javascript(browser, live_server, course) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/lessons/locmem/")
        page.get_by_role("link", name="Finished? Mark this lesson as read").click()
        page.get_by_role("button", name="Mark as read").click()
        page.wait_for_url(re.compile(r"/lessons/locmem/read/$"))
        assert page.get_by_text("✓ You have read this lesson.").is_visible()
        page.get_by_role("link", name=re.compile("Next lesson")).click()
        page.wait_for_url(re.compile(r"/lessons/redis/$"))
    finally:
        context.close()


def test_a_signed_in_learner_sees_their_name_on_a_lesson_page_and_logs_out_from_it(
    page, course, django_user_model
) -> None:
    django_user_model.objects.create_user("ada", password="a long pass phrase 42")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("a long pass phrase 42")
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.goto("/lessons/redis/")
    corner = page.locator("#account-corner")
    corner.get_by_text("Signed in as ada").wait_for()  # loaded with htmx: the page is everyone's
    corner.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/lessons/redis/")
    page.locator("#account-corner").get_by_role("link", name="Log in").wait_for()


def test_without_javascript_the_account_corner_is_a_link_to_a_page(
    browser, live_server, course
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/lessons/redis/")
        page.get_by_role("link", name="Your account").click()
        page.wait_for_url(re.compile(r"/accounts/corner/$"))
        assert page.get_by_role("heading", name="Your account").is_visible()
        assert page.get_by_role("main").get_by_role("link", name="Log in").is_visible()
    finally:
        context.close()
