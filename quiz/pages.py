"""The question step's page, rendered once per shape and shared by every learner who sees it.

A question step shows the attempt only through its number (in the form URLs), the order of
the options, how many questions are answered and whether the hint is shown. So the page is
rendered with placeholders for the attempt number and the CSRF token, kept in this process's
memory under a key of everything else it shows (the content version, the quiz's title,
the question, the option order, the counts, the hint), and each request puts its own attempt
number and token in. An edit moves the quiz's content version, so no kept page outlives it.

Nothing of one learner is in a kept page: it is rendered for an anonymous visitor (the page
shows no user), and a request with messages to show (from the admin, say) is rendered
afresh, as is any request under DEBUG (templates reload).
"""

import copy
import dataclasses
import functools
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse

from quiz.attempts import Progress, Review

CSRF_PLACEHOLDER = "cachelab-quiz-csrf-token-placeholder"
ATTEMPT_PLACEHOLDER = 9_876_543_210_123  # an attempt number no database will reach
MAX_PAGES = 512  # pages of about 4 KB: 2 MB at most; the memo starts afresh when full

_pages: dict[tuple[Any, ...], str] = {}


@functools.lru_cache(maxsize=8)
def placeholder_prefix(script_prefix: str) -> str:
    """The start of every URL of the placeholder attempt's pages (reversed once per prefix
    the site is served under)."""
    return reverse("quiz:attempt", args=[ATTEMPT_PLACEHOLDER])


def with_attempt(page: str, pk: int) -> str:
    placeholder = placeholder_prefix(get_script_prefix())
    return page.replace(placeholder, placeholder.replace(str(ATTEMPT_PLACEHOLDER), str(pk)))


def page_key(template: str, request: HttpRequest, state: Progress, review: Review) -> tuple:
    quiz = state.attempt.quiz
    return (
        template,
        bool(request.htmx),
        quiz.pk,
        quiz.content_version,
        quiz.slug,
        quiz.title,
        review.question.pk,
        tuple(row.choice.pk for row in review.rows),
        state.answered_count,
        state.question_count,
        review.hint_revealed,
    )


def question_page(
    request: HttpRequest, template: str, state: Progress, review: Review, context: dict
) -> str:
    """The step's HTML for this request, as render_to_string(template, context) would give."""
    if settings.DEBUG or len(get_messages(request)):
        return render_to_string(template, context, request)
    key = page_key(template, request, state, review)
    page = _pages.get(key)
    if page is None:
        if len(_pages) >= MAX_PAGES:
            _pages.clear()
        page = _pages[key] = render_shared(request, template, state, context)
    return with_attempt(page, state.attempt.pk).replace(CSRF_PLACEHOLDER, get_token(request))


def render_shared(request: HttpRequest, template: str, state: Progress, context: dict) -> str:
    """The page with placeholders where the attempt number and the CSRF token go."""
    attempt = copy.copy(state.attempt)
    attempt.pk = ATTEMPT_PLACEHOLDER
    shared = dataclasses.replace(state, attempt=attempt)
    anonymous = copy.copy(request)
    anonymous.user = AnonymousUser()
    return render_to_string(
        template, {**context, "progress": shared, "csrf_token": CSRF_PLACEHOLDER}, anonymous
    )
