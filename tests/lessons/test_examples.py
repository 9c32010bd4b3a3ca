"""Every "Run in sandbox" example is input the sandbox accepts, runs there on every backend, and
gives the results its `# ->` comments state."""

import json

import pytest

from lessons.content import FIXTURE_PATH, fixture_text
from lessons.examples import (
    Result,
    StatedResultError,
    all_sandbox_examples,
    contradictions,
    stated_results,
)
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


def run_in_sandbox(client, code: str) -> dict:
    response = client.post(
        "/sandbox/api/run", {"code": code, "backends": list(NAMES)}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_every_result_a_lesson_example_states_is_what_the_sandbox_gives(course, client) -> None:
    checked = 0
    for slug, code in every_example():
        stated = stated_results(code)
        if stated:
            assert contradictions(code, run_in_sandbox(client, code)) == [], slug
            checked += len(stated)
    assert checked >= 30


def test_every_example_with_a_read_states_what_it_reads(course) -> None:
    # Reading calls are where a learner compares: each lesson example with one says the result.
    for slug, code in every_example():
        reads = [call for call in parse_calls(code) if call.method in ("get", "get_many")]
        assert not reads or stated_results(code), (slug, code)


def test_a_stated_result_the_backends_do_not_give_is_reported(db, client) -> None:
    line = "cache.incr('n')"  # as the sandbox shows it: without its comment
    code = f"cache.set('n', 1)\n{line}  # -> 3 (memcached: raises ValueError)"

    found = contradictions(code, run_in_sandbox(client, code))

    assert found == [
        f"{line}: locmem gives 2, the comment says 3",
        f"{line}: redis gives 2, the comment says 3",
        f"{line}: django-redis gives 2, the comment says 3",
        f"{line}: memcached gives 2, the comment says raises ValueError",
    ]


def test_a_stated_result_is_read_after_its_call_or_alone_on_the_next_line() -> None:
    code = (
        "# a comment that states nothing\n"
        'cache.set("a b", 1)  # -> None (django-redis, locmem: True; memcached: raises X)\n'
        'found = cache.get_many(["a", "b"])\n'
        '# -> {"a": 1}\n'
    )

    first, second = stated_results(code)

    assert (first.line, first.result, first.others) == (
        2,
        Result(value="None"),
        {"django-redis": Result("True"), "locmem": Result("True"), "memcached": Result(error="X")},
    )
    assert (second.line, second.result, second.others) == (3, Result(value="{'a': 1}"), {})


@pytest.mark.parametrize("comment", ["# -> not a literal", "# -> 1 (redis 2)", "# -> 1 (redis: ?)"])
def test_a_stated_result_that_cannot_be_read_is_refused(comment: str) -> None:
    with pytest.raises(StatedResultError):
        stated_results(f"cache.get('k')  {comment}")
