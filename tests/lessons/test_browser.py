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
