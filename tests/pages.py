"""The site's pages as the resolver lists them, with the fixture data's values for their
arguments, and three learners to fetch them as: what the every-page tests walk through.

Every URL pattern of the site is found through the resolver, so a new page is covered without
touching the tests; a pattern with an argument `site()` cannot fill fails, naming what to add.
Django's own admin is left out.
"""

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from challenges.models import Challenge
from flashcards.models import Card
from lab.forms import EXPERIMENT_FORMS
from lab.topics import TOPICS
from lessons.models import Lesson
from quiz.models import Attempt, Question, Quiz
from spotbug.models import Snippet

SKIPPED_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # the route as written, e.g. "quiz/attempts/<int:pk>/"
    parameters: tuple[str, ...]


def routes(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            if (entry.namespace or "") not in SKIPPED_NAMESPACES:
                yield from routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            parameters = tuple(entry.pattern.regex.groupindex)
            yield Route(name, prefix + str(entry.pattern), parameters)


@dataclass(frozen=True)
class Learner:
    label: str
    client: Callable[[], Client]


def site_data(django_user_model) -> tuple[dict[str, list[str]], list["Learner"]]:
    """The fixture data, a learner with an attempt in progress, and the values of each
    URL argument, by "route name.parameter" (or "namespace.parameter") and by parameter."""
    anonymous_learner = Client()
    started = anonymous_learner.post("/quiz/practice/start/")
    assert started.status_code == 302, started.content[:500]
    user = django_user_model.objects.create_user("ada", "ada@example.com", "correct horse 42")
    signed_in = Client()
    signed_in.force_login(user)
    assert signed_in.post("/quiz/performance/start/").status_code == 302
    attempts = list(Attempt.objects.values_list("pk", flat=True))
    values: dict[str, list[str]] = {
        "lessons.slug": list(Lesson.objects.values_list("slug", flat=True)),
        "quiz.slug": list(Quiz.objects.values_list("slug", flat=True)),
        "challenges.slug": list(Challenge.objects.values_list("slug", flat=True)),
        "quiz:lesson.slug": list(Lesson.objects.values_list("slug", flat=True)),
        "pk": [str(pk) for pk in attempts],
        "question_id": [str(pk) for pk in Question.objects.values_list("pk", flat=True)[:3]],
        "spotbug.pk": [str(pk) for pk in Snippet.objects.values_list("pk", flat=True)[:2]],
        "flashcards.pk": [str(pk) for pk in Card.objects.values_list("pk", flat=True)[:1]],
        "kind": list(EXPERIMENT_FORMS),
        "topic": list(TOPICS),
        "uidb64": [urlsafe_base64_encode(force_bytes(user.pk))],
        "token": [default_token_generator.make_token(user)],
    }
    learners = [
        Learner("a new visitor", Client),
        Learner("an anonymous learner with an attempt in progress", lambda: anonymous_learner),
        Learner("a signed-in learner with an attempt in progress", lambda: signed_in),
    ]
    return values, learners


def argument_values(route: Route, parameter: str, values: dict[str, list[str]]) -> list[str]:
    namespace = route.name.rpartition(":")[0]
    for key in (f"{route.name}.{parameter}", f"{namespace}.{parameter}", parameter):
        if key in values:
            return values[key]
    pytest.fail(f"{route.pattern} ({route.name}): add values for “{parameter}” in site()")


def paths(route: Route, values: dict[str, list[str]]) -> Iterator[str]:
    """Every path of this route with the fixture data's values for its arguments."""
    choices = [argument_values(route, name, values) for name in route.parameters]
    for combination in itertools.product(*choices):
        path = route.pattern
        for name, value in zip(route.parameters, combination, strict=True):
            path = re.sub(rf"<(?:\w+:)?{name}>", value, path)
        yield "/" + path.lstrip("^").rstrip("$")


def fetches(site: tuple) -> Iterator[tuple[str, Learner, bool]]:
    """(path, learner, htmx) for every page, learner and way of asking."""
    values, learners = site
    for route in routes():
        for path in paths(route, values):
            for learner, htmx in itertools.product(learners, (False, True)):
                yield path, learner, htmx
