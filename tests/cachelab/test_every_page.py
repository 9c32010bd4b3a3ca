"""Nothing of the template language reaches a page.

Every URL pattern of the site (found through the resolver, so a new page is covered without
touching this file) is fetched with GET, plainly and as htmx does, by three learners: a new
anonymous visitor, an anonymous learner with a quiz attempt in progress, and a signed-in
learner with one. A page fails if its HTML shows `{#`, `#}`, `{%` or `{{` outside <pre> and
<code>. Arguments come from the fixture data; a pattern with an argument this file cannot
fill fails, naming what to add. Views that refuse GET (POST-only) are skipped by their 405.
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

from lab.forms import EXPERIMENT_FORMS
from lab.topics import TOPICS
from lessons.models import Lesson
from quiz.models import Attempt, Question, Quiz

SKIPPED_NAMESPACES = {"admin"}
TEMPLATE_SYNTAX = re.compile(r"\{#|#\}|\{%|\{\{")
CODE_BLOCKS = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL | re.IGNORECASE)


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


@pytest.fixture
def site(db, django_user_model):
    """The fixture data (in the test database for the session), a learner with an attempt
    in progress, and the values of each URL argument, by "route name.parameter" (or
    "namespace.parameter") and by parameter."""
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
        "quiz:lesson.slug": list(Lesson.objects.values_list("slug", flat=True)),
        "pk": [str(pk) for pk in attempts],
        "question_id": [str(pk) for pk in Question.objects.values_list("pk", flat=True)[:3]],
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


def template_syntax_shown(html: str) -> list[str]:
    """Each `{#`, `#}`, `{%` or `{{` outside <pre> and <code>, with some context."""
    text = CODE_BLOCKS.sub("", html)
    return [text[max(0, m.start() - 60) : m.end() + 60] for m in TEMPLATE_SYNTAX.finditer(text)]


def test_the_routes_found_include_every_apps_pages() -> None:
    names = {route.name for route in routes()}
    assert {"home", "lessons:detail", "quiz:attempt", "sandbox:index", "lab:index"} <= names
    assert not any(name.startswith("admin:") for name in names)


def test_template_syntax_outside_code_is_caught_and_inside_code_is_allowed() -> None:
    assert template_syntax_shown("<p>{# note\n#}</p>")
    assert template_syntax_shown("<p>{{ lesson.title }}</p>")
    assert not template_syntax_shown("<pre>{% cache 500 sidebar %}</pre><code>{{ x }}</code>")


def test_no_page_shows_template_syntax(site) -> None:
    values, learners = site
    checked, problems = 0, []
    for route in routes():
        for path in paths(route, values):
            for learner, htmx in itertools.product(learners, (False, True)):
                headers = {"HX-Request": "true"} if htmx else {}
                response = learner.client().get(path, headers=headers)
                if response.status_code == 405 or "html" not in response.get("Content-Type", ""):
                    continue  # a POST-only view, or JSON and plain text
                checked += 1
                for shown in template_syntax_shown(response.content.decode()):
                    problems.append(f"{path} ({learner.label}, htmx={htmx}): …{shown}…")
    assert checked >= 30, f"only {checked} pages were checked"
    assert not problems, "\n".join(problems)
