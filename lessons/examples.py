"""The code behind every "Run in sandbox" button, for checking it against the sandbox, and the
results its comments state.

A comment `# -> RESULT` after a call states what the call gives on every backend; standing on
a line of its own, it is about the call just above it. RESULT is a Python literal (compared
with the value the sandbox shows) or `raises ErrorName`, and may end with the backends that
differ, in brackets:

    cache.set("a b", 1)  # -> None (django-redis: True; memcached: raises InvalidCacheKey)
    found = cache.get_many(["a", "b"])
    # -> {"a": 1}

tests/lessons/test_examples.py runs every example in the sandbox and compares.
"""

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Any

from lessons.models import Lesson
from lessons.rendering import MARKDOWN, is_runnable
from sandbox.catalogue import NAMES

STATED = re.compile(r"#\s*->\s*(?P<result>.+?)\s*$")
BACKEND = "|".join(re.escape(name) for name in sorted(NAMES, key=len, reverse=True))
OTHERS = re.compile(rf"(?P<result>.+?)\s+\((?P<others>(?:{BACKEND})\b[^()]*)\)")
OTHER = re.compile(rf"(?P<names>(?:{BACKEND})(?:\s*,\s*(?:{BACKEND}))*)\s*:\s*(?P<result>.+)")
RAISES = re.compile(r"raises (?P<error>\w+)")
CALL_LINE = re.compile(r"\s*(?:\w+\s*=\s*)?cache\.")


class StatedResultError(ValueError):
    """A `# ->` comment the checker cannot read."""


@dataclass(frozen=True)
class Result:
    """What a call gives: a value (as the sandbox shows it, a repr) or an error's type."""

    value: str | None = None
    error: str | None = None

    @classmethod
    def parse(cls, text: str) -> "Result":
        raises = RAISES.fullmatch(text.strip())
        if raises:
            return cls(error=raises["error"])
        try:
            return cls(value=repr(ast.literal_eval(text.strip())))
        except (ValueError, SyntaxError) as error:
            raise StatedResultError(f"Not a literal or `raises Name`: {text!r}") from error

    def __str__(self) -> str:
        return f"raises {self.error}" if self.error else self.value or ""

    def seen_in(self, result: dict[str, Any]) -> bool:
        """Whether a backend's result in the sandbox's JSON answer is this one."""
        if self.error:
            return (result["error"] or "").split(":", 1)[0] == self.error
        return result["error"] is None and result["value"] == self.value


@dataclass(frozen=True)
class Stated:
    line: int  # the call's line in the example, from 1
    result: Result
    others: dict[str, Result] = field(default_factory=dict)

    def for_backend(self, backend: str) -> Result:
        return self.others.get(backend, self.result)


def parse_stated(text: str, line: int) -> Stated:
    match = OTHERS.fullmatch(text)
    if not match:
        return Stated(line, Result.parse(text))
    others = {}
    for part in match["others"].split(";"):
        other = OTHER.fullmatch(part.strip())
        if not other:
            raise StatedResultError(f"Line {line}: read “{part.strip()}” as “backend: result”.")
        for name in re.split(r"\s*,\s*", other["names"]):
            others[name] = Result.parse(other["result"])
    return Stated(line, Result.parse(match["result"]), others)


def stated_results(code: str) -> list[Stated]:
    """The results an example's `# ->` comments state, each with the line of its call."""
    stated, last_call = [], None
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        row, column = token.start
        if token.type == tokenize.COMMENT:
            match = STATED.fullmatch(token.string)
            if not match:
                continue
            alone = not token.line[:column].strip()
            line = last_call if alone else row
            if line is None:
                raise StatedResultError(f"Line {row}: a stated result with no call above it.")
            stated.append(parse_stated(match["result"], line))
        elif token.type == tokenize.NAME and CALL_LINE.match(token.line):
            last_call = row
    return stated


def contradictions(code: str, answer: dict[str, Any]) -> list[str]:
    """Where the sandbox's JSON answer for `code` differs from what its comments state."""
    lines = {line["line"]: line for line in answer["lines"]}
    found = []
    for stated in stated_results(code):
        line = lines[stated.line]
        for backend, result in line["results"].items():
            expected = stated.for_backend(backend)
            if not expected.seen_in(result):
                shown = f"raises {result['error']}" if result["error"] else result["value"]
                found.append(
                    f"{line['code']}: {backend} gives {shown}, the comment says {expected}"
                )
    return found


def sandbox_examples(lesson: Lesson) -> list[str]:
    """The code of every block that gets a "Run in sandbox" button, in page order."""
    return [
        token.content.rstrip("\n")
        for token in MARKDOWN.parse(lesson.body)
        if token.type == "fence" and is_runnable(token.info)
    ]


def all_sandbox_examples() -> dict[str, list[str]]:
    """Every lesson's runnable examples, by lesson slug, in course order."""
    return {lesson.slug: sandbox_examples(lesson) for lesson in Lesson.objects.all()}
