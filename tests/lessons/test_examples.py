"""Every "Run in sandbox" example is input the sandbox accepts, and runs on every backend.

The sandbox accepts blank lines, `#` comments, `from django.core.cache import cache`, and
`cache.METHOD(literal args)` or `name = cache.METHOD(literal args)` lines. This module checks
those rules with `ast` and runs each call on the real backends, and, once the sandbox app's
parser is merged (sandbox/calls.py, built in parallel), feeds every example to it too.
"""

import ast
import json
import warnings

import pytest
from django.core.cache.backends.base import CacheKeyWarning, InvalidCacheKey
from django.core.cache.backends.memcached import PyMemcacheCache

from lessons.content import FIXTURE_PATH, fixture_text
from lessons.examples import all_sandbox_examples

SANDBOX_METHODS = {
    "set", "get", "add", "get_or_set", "incr", "decr", "delete", "touch",
    "has_key", "get_many", "set_many", "delete_many", "clear",
}  # fmt: skip
IMPORT_LINE = "from django.core.cache import cache"


def sandbox_calls(code: str) -> list[tuple[str, list, dict]]:
    """(method, args, kwargs) for each line; AssertionError naming a line the sandbox refuses."""
    calls = []
    for line in code.splitlines():
        text = line.strip()
        if not text or text.startswith("#") or text == IMPORT_LINE:
            continue
        try:
            statement = ast.parse(text).body
        except SyntaxError as error:
            raise AssertionError(f"not one line of Python: {line!r}") from error
        assert len(statement) == 1, f"one statement a line: {line!r}"
        node = statement[0]
        if isinstance(node, ast.Assign):
            assert len(node.targets) == 1 and isinstance(node.targets[0], ast.Name), line
            node = node.value
        elif isinstance(node, ast.Expr):
            node = node.value
        assert isinstance(node, ast.Call), f"not a cache call: {line!r}"
        func = node.func
        assert isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name), line
        assert func.value.id == "cache" and func.attr in SANDBOX_METHODS, line
        args = [literal(arg, line) for arg in node.args]
        kwargs = {kw.arg: literal(kw.value, line) for kw in node.keywords}
        calls.append((func.attr, args, kwargs))
    return calls


def literal(node: ast.expr, line: str):
    try:
        return ast.literal_eval(node)
    except ValueError as error:
        raise AssertionError(f"arguments must be Python literals: {line!r}") from error


def every_example() -> list[tuple[str, str]]:
    return [(slug, code) for slug, codes in all_sandbox_examples().items() for code in codes]


def test_every_example_is_valid_sandbox_input(course) -> None:
    examples = every_example()
    assert len(examples) >= 10
    for slug, code in examples:
        assert sandbox_calls(code), f"{slug}: an example with no cache call"
        assert "cache.clear(" not in code, f"{slug}: clear() would flush the shared sandbox"


def test_every_example_runs_on_every_sandbox_backend(course, sandbox_cache) -> None:
    for _slug, code in every_example():
        for method, args, kwargs in sandbox_calls(code):
            call = getattr(sandbox_cache, method)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", CacheKeyWarning)
                    call(*args, **kwargs)
            except InvalidCacheKey:
                # The Memcached lesson's key-rules example fails on purpose, there only.
                assert isinstance(sandbox_cache, PyMemcacheCache), (method, args)


def test_the_sandbox_parser_accepts_every_example(course) -> None:
    calls = pytest.importorskip("sandbox.calls", reason="the sandbox app is merged separately")
    for slug, code in every_example():
        assert calls.parse_calls(code), f"{slug}: {code!r}"


def test_the_fixture_is_built_from_the_current_lesson_sources() -> None:
    assert FIXTURE_PATH.read_text() == fixture_text(), "run: .venv/bin/python -m lessons.content"
    assert [obj["fields"]["order"] for obj in json.loads(fixture_text())] == [1, 2, 3, 4, 5]


def test_a_line_the_sandbox_refuses_is_reported() -> None:
    with pytest.raises(AssertionError):
        sandbox_calls("import os")
    with pytest.raises(AssertionError):
        sandbox_calls("cache.set('k', 'v' * 2000)")
