"""The course's lesson texts, kept as Markdown files beside this module.

`lessons.toml` lists the lessons in order with their metadata; each body is `<slug>.md`.
`.venv/bin/python -m lessons.content` writes fixtures/lessons.json from them (what `make run`
loads), with each body rendered as saving the lesson renders it (loaddata does not call
`Lesson.save()`), and a test checks the fixture is up to date. Edit the Markdown here, run
`ruff format .` (it also formats the Python blocks inside the Markdown), then rebuild.

Runnable examples are fenced as ```python run and must stay in the sandbox's language: one
`cache.METHOD(literal arguments)` call a line (optionally `name = ...`), `#` comment lines,
blank lines and `from django.core.cache import cache`. Never `cache.clear()`: the sandbox's
servers are shared. A result a line gives is stated as a `# -> RESULT` comment after the call
(or alone on the next line), with the backends that differ in brackets:
`cache.set("a b", 1)  # -> None (django-redis: True; memcached: raises InvalidCacheKey)`;
lessons.examples reads them. tests/lessons/test_examples.py checks all of this, running each
example in the sandbox and comparing every stated result, per backend.

A fact about the running site is a token filled in when the page is shown, never typed:
`{django_version}` (lessons.rendering.SITE_FACTS).
"""

import json
import tomllib
from pathlib import Path
from typing import Any

CONTENT_DIR = Path(__file__).resolve().parent
FIXTURE_PATH = CONTENT_DIR.parent.parent / "fixtures" / "lessons.json"
# Fixed, so rebuilding an unchanged text gives the same fixture; the admin sets real times.
PUBLISHED_AT = "2026-11-26T00:00:00Z"


def lesson_fixture() -> list[dict[str, Any]]:
    from lessons.rendering import render_body  # needs Django's settings (it reverses URLs)

    catalogue = tomllib.loads((CONTENT_DIR / "lessons.toml").read_text())
    fixture = []
    for order, entry in enumerate(catalogue["lesson"], start=1):
        body = (CONTENT_DIR / f"{entry['slug']}.md").read_text()
        rendered = render_body(body)
        fields = {
            "slug": entry["slug"],
            "title": entry["title"],
            "order": order,
            "summary": entry["summary"].strip(),
            "impact": entry["impact"],
            "body": body,
            "body_html": rendered["html"],
            "toc": rendered["toc"],
            "reading_minutes": rendered["minutes"],
            "updated_at": PUBLISHED_AT,
        }
        # No pk: a lesson is named by its slug (its natural key), so a lesson added in the
        # middle of the course never takes another one's place in an existing database.
        fixture.append({"model": "lessons.lesson", "fields": fields})
    return fixture


def fixture_text() -> str:
    return json.dumps(lesson_fixture(), indent=2, ensure_ascii=False) + "\n"
