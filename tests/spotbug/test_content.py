"""The snippets as authored: each has one real faulty line, a real section and a working
"See it happen"."""

import pytest
from django.core.exceptions import ValidationError

from quiz.links import runs_in_sandbox
from spotbug.models import Snippet

BUGS_THE_ISSUE_NAMES = [
    "locmem.LocMemCache",  # LocMem on several servers
    "MemcachedCache",  # removed in Django 4.1
    "@cache_page(60 * 15)\ndef dashboard",  # a page that greets the user
    "@vary_on_cookie\n@cache_page",  # vary_on_cookie above cache_page
    'f"article:{article.title}"',  # a key with spaces on Memcached
    '"VERSION": 42',  # a VERSION bump expected to expire keys
    "get_or_set",  # expected to stop a stampede
    "{% csrf_token %}",  # the cache tag around a CSRF form
]


def test_there_are_at_least_ten_snippets_covering_the_bugs_the_lessons_teach(snippets) -> None:
    assert len(snippets) >= 10
    codes = "\n".join(snippet.code for snippet in snippets)
    assert [bug for bug in BUGS_THE_ISSUE_NAMES if bug not in codes] == []


def test_every_snippet_is_valid_as_the_admin_checks_it(snippets) -> None:
    for snippet in snippets:
        snippet.full_clean()


def test_every_snippet_links_to_a_heading_its_lesson_has(snippets) -> None:
    assert [s.title for s in snippets if s.section not in s.lesson.headings()] == []


def test_every_see_it_happen_runs_in_the_sandbox(snippets) -> None:
    with_code = [snippet for snippet in snippets if snippet.sandbox_code]
    assert len(with_code) >= 5
    assert [s.title for s in with_code if not runs_in_sandbox(s.sandbox_code)] == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("faulty_line", 99, "The snippet has lines 1 to"),
        ("lab_experiment", "no-such-thing", "Name a lab experiment"),
    ],
)
def test_the_admin_refuses_a_faulty_line_or_experiment_that_does_not_exist(
    snippets, field, value, message
) -> None:
    snippet = Snippet.objects.first()
    setattr(snippet, field, value)
    with pytest.raises(ValidationError, match=message):
        snippet.full_clean()
