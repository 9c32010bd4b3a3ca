"""Every "Run in sandbox" example is input the sandbox accepts, and runs there on every backend."""

import json

import pytest

from lessons.content import FIXTURE_PATH, fixture_text
from lessons.examples import all_sandbox_examples
from sandbox.calls import CallError, parse_calls
from sandbox.catalogue import NAMES
from tests.lessons.conftest import SLUGS


def every_example() -> list[tuple[str, str]]:
    return [(slug, code) for slug, codes in all_sandbox_examples().items() for code in codes]


def test_every_lesson_example_is_valid_sandbox_input(course) -> None:
    examples = every_example()
    assert len(examples) >= 10
    for slug, code in examples:
        calls = parse_calls(code)  # raises CallError naming the line it refuses
        assert calls, f"{slug}: an example with no cache call"
        assert all(call.method != "clear" for call in calls), f"{slug}: clear() in an example"


def test_every_lesson_example_runs_in_the_sandbox_on_every_backend(course, client) -> None:
    for slug, code in every_example():
        response = client.post(
            "/sandbox/api/run",
            {"code": code, "backends": list(NAMES)},
            content_type="application/json",
        )
        assert response.status_code == 200, (slug, response.content)
        for line in response.json()["lines"]:
            for backend, result in line["results"].items():
                if result["error"] is None:
                    continue
                # The Memcached lesson's key-rules example is refused there on purpose, only.
                assert backend == "memcached" and "InvalidCacheKey" in result["error"], (
                    slug,
                    line["code"],
                    backend,
                    result["error"],
                )


def test_the_fixture_is_built_from_the_current_lesson_sources() -> None:
    assert FIXTURE_PATH.read_text() == fixture_text(), "run: .venv/bin/python -m lessons.content"
    lessons = json.loads(fixture_text())
    assert [obj["fields"]["order"] for obj in lessons] == list(range(1, len(SLUGS) + 1))
    assert [obj["fields"]["slug"] for obj in lessons] == SLUGS


def test_a_line_the_sandbox_refuses_would_fail_the_example_check() -> None:
    with pytest.raises(CallError):
        parse_calls("import os")
