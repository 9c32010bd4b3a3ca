"""Nothing of the template language reaches a page.

Every URL pattern of the site (tests/pages.py) is fetched with GET, plainly and as htmx does, by
three learners: a new anonymous visitor, an anonymous learner with a quiz attempt in progress,
and a signed-in learner with one. A page fails if its HTML shows `{#`, `#}`, `{%` or `{{`
outside <pre> and <code>. Views that refuse GET (POST-only) are skipped by their 405.
"""

import re

from tests.pages import fetches, routes

TEMPLATE_SYNTAX = re.compile(r"\{#|#\}|\{%|\{\{")
CODE_BLOCKS = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL | re.IGNORECASE)


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
    checked, problems = 0, []
    for path, learner, htmx in fetches(site):
        headers = {"HX-Request": "true"} if htmx else {}
        response = learner.client().get(path, headers=headers)
        if response.status_code == 405 or "html" not in response.get("Content-Type", ""):
            continue  # a POST-only view, or JSON and plain text
        checked += 1
        for shown in template_syntax_shown(response.content.decode()):
            problems.append(f"{path} ({learner.label}, htmx={htmx}): …{shown}…")
    assert checked >= 30, f"only {checked} pages were checked"
    assert not problems, "\n".join(problems)
