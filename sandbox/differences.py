"""Where the backends disagree on one line, and why.

The sandbox hands over what each backend did as `Seen` values; `Explainer.differences()`
groups backends that did the same, and when there is more than one group it returns the
instructors' explanations (sandbox.models.Explanation) that match, or, where none does, a
plain "these backends disagree here". Values are compared as shown (repr), errors by exception
type and warnings by category: their messages name each backend's own stored key.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sandbox.models import DifferenceKind, Explanation, names

UNEXPLAINED = "These backends disagree here ({summary}); the sandbox has no explanation for it yet."


@dataclass(frozen=True)
class Seen:
    """What one backend did with one line."""

    backend: str
    value: str | None = None  # repr of what it returned
    error: str | None = None  # "ExceptionType: message"
    warnings: tuple[str, ...] = ()  # "WarningCategory: message"
    down: bool = False  # its server was unreachable: not a difference between backends

    @classmethod
    def of(cls, backend: str, outcome: Any) -> "Seen":
        """From any object with the sandbox outcome's value/error/warnings/down."""
        return cls(
            backend, outcome.value, outcome.error, tuple(outcome.warnings), bool(outcome.down)
        )

    @property
    def kind(self) -> str:
        if self.error:
            return DifferenceKind.ERROR
        return DifferenceKind.WARNING if self.warnings else DifferenceKind.VALUE

    @cached_property
    def signature(self) -> tuple:
        return (
            None if self.error else self.value,
            first_word(self.error),
            tuple(sorted({first_word(warning) for warning in self.warnings})),
        )

    def described(self) -> str:
        if self.error:
            return f"raised {first_word(self.error)}"
        warned = f" with a {', '.join(sorted(set(map(first_word, self.warnings))))}"
        return f"returned {self.value}" + (warned if self.warnings else "")

    def facts(self) -> list[str]:
        """Lines an explanation's pattern is searched in."""
        if self.error:
            lines = [f"{self.backend} raised {self.error}"]
        else:
            lines = [f"{self.backend} returned {self.value}"]
        return lines + [f"{self.backend} warned {warning}" for warning in self.warnings]


def first_word(text: str | None) -> str:
    """An error's or warning's type: "ValueError: Key 'x' not found." -> "ValueError"."""
    return (text or "").split(":", 1)[0]


# An Explanation as plain data (methods, backends, kind, pattern, explanation, source), what
# the site's cache keeps (sandbox.explanations); Rule.of_plain compiles its pattern.
PlainRule = tuple[tuple[str, ...], tuple[str, ...], str, str, str, str]


def plain_rule(row: Explanation) -> PlainRule:
    return (
        tuple(names(row.methods)),
        tuple(names(row.backends)),
        row.kind,
        row.pattern,
        row.explanation,
        row.source,
    )


def read_rules() -> list[PlainRule]:
    """Every explanation, in order, from the database."""
    return [plain_rule(row) for row in Explanation.objects.all()]


@dataclass(frozen=True)
class Rule:
    """One Explanation, detached from the database."""

    methods: frozenset[str]
    backends: frozenset[str]
    kind: str
    pattern: re.Pattern | None
    explanation: str
    source: str

    @classmethod
    def of(cls, row: Explanation) -> "Rule":
        return cls.of_plain(plain_rule(row))

    @classmethod
    def of_plain(cls, row: "PlainRule") -> "Rule":
        methods, backends, kind, pattern, explanation, source = row
        return cls(
            frozenset(methods),
            frozenset(backends),
            kind,
            re.compile(pattern, re.MULTILINE) if pattern else None,
            explanation,
            source,
        )

    def explains(self, method: str, seen: list[Seen], facts: str) -> list[str]:
        """The backends this rule explains on this line, in the line's order; [] if none."""
        if self.methods and method not in self.methods:
            return []
        apart = [one for one in seen if one.backend in self.backends]
        others = [one for one in seen if one.backend not in self.backends]
        if not apart or not self.stand_apart(apart, others):
            return []
        if self.pattern and not self.pattern.search(facts):
            return []
        return [one.backend for one in apart]

    def stand_apart(self, apart: list[Seen], others: list[Seen]) -> bool:
        if self.kind and any(one.kind != self.kind for one in apart):
            return False
        if self.kind in (DifferenceKind.ERROR, DifferenceKind.WARNING):
            # what sets them apart is that they raised (warned) and the others did not
            if any(one.kind == self.kind for one in others):
                return False
        elif not others:
            return False
        theirs = {one.signature for one in others}
        return not any(one.signature in theirs for one in apart)


def groups_of(seen: list[Seen]) -> list[list[Seen]]:
    """Backends that did the same thing, in the line's order."""
    groups: dict[tuple, list[Seen]] = {}
    for one in seen:
        groups.setdefault(one.signature, []).append(one)
    return list(groups.values())


def summary(groups: list[list[Seen]]) -> str:
    return "; ".join(
        f"{', '.join(one.backend for one in group)} {group[0].described()}" for group in groups
    )


def differences(
    method: str, code: str, seen: Iterable[Seen], rules: Iterable[Rule]
) -> list[dict[str, Any]]:
    """[{"backends": [...], "explanation": str, "source": str}, ...]; [] when all agree."""
    compared = [one for one in seen if not one.down]
    groups = groups_of(compared)
    if len(groups) < 2:
        return []
    facts = "\n".join([f"code: {code}", *(fact for one in compared for fact in one.facts())])
    found, explained = [], set()
    for rule in rules:
        backends = rule.explains(method, compared, facts)
        if backends:
            found.append(
                {"backends": backends, "explanation": rule.explanation, "source": rule.source}
            )
            explained.update(backends)
    left = [group for group in groups if not explained & {one.backend for one in group}]
    if len(left) > 1:  # one group left is what the explained backends differ from
        found.append(
            {
                "backends": [one.backend for group in left for one in group],
                "explanation": UNEXPLAINED.format(summary=summary(left)),
                "source": "",
            }
        )
    return found


class Explainer:
    """The explanations, read from the database once, and only if some line disagrees."""

    def __init__(self) -> None:
        self._rules: list[Rule] | None = None

    @property
    def rules(self) -> list[Rule]:
        if self._rules is None:
            self._rules = [Rule.of_plain(row) for row in self.load_rules()]
        return self._rules

    def load_rules(self) -> list[PlainRule]:
        return read_rules()

    def differences(self, method: str, code: str, seen: Iterable[Seen]) -> list[dict[str, Any]]:
        seen = list(seen)
        if len(groups_of([one for one in seen if not one.down])) < 2:
            return []  # all agree: no need to read the explanations
        return differences(method, code, seen, self.rules)
