"""What an explanation's check may state, and whether a check is well formed (sandbox.checks
runs it). See sandbox.checks for what each fact means."""

from typing import Any

from sandbox.calls import CallError, parse_calls
from sandbox.catalogue import NAMES

FACT_TYPES: dict[str, type] = {
    "returns": str,
    "raises": str,
    "warns": list,
    "wire": list,
    "round_trips": int,
    "stored": dict,
}
STORED_KINDS = ("digits", "pickle", "text", "bytes", "absent")


def fact_errors(code: str, facts: Any) -> list[str]:
    """What is wrong with a check as typed (an empty list when nothing is)."""
    errors = []
    try:
        if not parse_calls(code):
            errors.append("Give the sandbox code the facts are about.")
    except CallError as error:
        errors.append(f"The check code is not sandbox code: {error}")
    if not isinstance(facts, dict) or not facts:
        return [*errors, 'Facts are {"backend": {"returns": ..., "wire": [...], ...}}.']
    for backend, stated in facts.items():
        if backend not in NAMES:
            errors.append(f"{backend!r} is not a backend: name one of {', '.join(NAMES)}.")
        elif not isinstance(stated, dict) or not stated:
            errors.append(f"{backend}: give at least one fact.")
        else:
            errors += [f"{backend}: {problem}" for problem in wrong_facts(stated)]
    return errors


def wrong_facts(stated: dict[str, Any]) -> list[str]:
    problems = []
    for name, value in stated.items():
        expected = FACT_TYPES.get(name)
        if expected is None:
            problems.append(f"{name!r} is not a fact: use {', '.join(FACT_TYPES)}.")
        elif not isinstance(value, expected) or isinstance(value, bool):
            problems.append(f"{name} must be a {expected.__name__}.")
        elif isinstance(value, list) and not all(isinstance(item, str) for item in value):
            problems.append(f"{name} must be a list of strings.")
        elif name == "stored" and not set(value.values()) <= set(STORED_KINDS):
            problems.append(f"stored is {{key: kind}}, a kind one of {', '.join(STORED_KINDS)}.")
    return problems
