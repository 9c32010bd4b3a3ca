"""Where a question sends the learner next: the lesson section that teaches it, and the
sandbox, prefilled with the cache calls the question shows when the sandbox can run them.

Worked out when a quiz's content is built (quiz.content), and for the progress page.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from lessons.models import Lesson
from quiz.models import Question
from sandbox.calls import CallError, parse_calls

# A cache call as questions write it, e.g. cache.set('key', {'a': 1}, timeout=None): the
# sandbox's own parser then decides whether it can run it.
CACHE_CALL = re.compile(r"cache\.\w+\((?:[^()]|\([^()]*\))*\)")
# The sandbox's clear() empties only the learner's own keys: not what a question about
# clear() on a shared server is teaching, so it is never offered on its own.
NOT_ON_ITS_OWN = {"cache.clear()"}


@dataclass(frozen=True)
class Links:
    read_url: str  # the lesson section that teaches the question ("" without its lesson)
    read_title: str
    try_url: str  # the sandbox with the question's calls ("" when it cannot run any)


def runnable_calls(question: Question) -> list[str]:
    """The calls in the question's prompt, code, follow-up and options that the sandbox can
    run (the ones with literal arguments), each once, in the order they appear."""
    texts = [question.prompt, question.code, question.follow_up]
    texts += [choice.text for choice in question.choices.all()]
    calls: list[str] = []
    for text in texts:
        for call in CACHE_CALL.findall(text):
            if call not in calls and runs_in_sandbox(call):
                calls.append(call)
    return [] if set(calls) <= NOT_ON_ITS_OWN else calls


def runs_in_sandbox(code: str) -> bool:
    try:
        parse_calls(code)
    except CallError:
        return False
    return True


def sandbox_url(code: str) -> str:
    return f"{reverse('sandbox:index')}?{urlencode({'code': code})}"


def section_title(lesson: Lesson, anchor: str) -> str:
    """The heading's text from the lesson's table of contents; its anchor's words if the
    heading is not in the table (an h4, say)."""
    return lesson.headings().get(anchor) or anchor.replace("-", " ").capitalize()


def links_of(questions: Iterable[Question]) -> dict[int, Links]:
    """Question id -> its links (one query for the lessons)."""
    questions = list(questions)
    ids = {question.lesson_id for question in questions}
    lessons = Lesson.objects.only("slug", "title", "toc").in_bulk(ids)
    found = {}
    for question in questions:
        lesson = lessons.get(question.lesson_id)
        calls = runnable_calls(question)
        found[question.pk] = Links(
            read_url=lesson.section_url(question.section) if lesson else "",
            read_title=f"{lesson.title}, {section_title(lesson, question.section)}"
            if lesson
            else "",
            try_url=sandbox_url("\n".join(calls)) if calls else "",
        )
    return found


def add_links(questions: list[Question]) -> None:
    """Give each question `read_url`, `read_title` and `try_url` ("" when nothing runs)."""
    links = links_of(questions)
    for question in questions:
        question.read_url = links[question.pk].read_url
        question.read_title = links[question.pk].read_title
        question.try_url = links[question.pk].try_url
