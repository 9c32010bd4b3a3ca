"""The guided A/B scenario: set on app server A, then get on app server B, on every backend.

The explanation is read from what really came back, not assumed."""

from collections.abc import Callable
from dataclasses import dataclass

from sandbox.calls import Call, parse_calls
from sandbox.catalogue import NAMES, backend_named
from sandbox.results import Outcome, Run

KEY = "ab-scenario"
VALUE = "written on app server A"
SET_CODE = f"cache.set({KEY!r}, {VALUE!r}, timeout=300)"
GET_CODE = f"cache.get({KEY!r})"
CALLS = 2


@dataclass
class Scenario:
    on_a: Run
    on_b: Run
    explanations: dict[str, str]


def run_scenario(run_on: Callable[[list[Call], str], Run]) -> Scenario:
    """`run_on(calls, server)` runs calls on every backend as the learner."""
    on_a = run_on(parse_calls(SET_CODE), "A")
    on_b = run_on(parse_calls(GET_CODE), "B")
    outcomes = on_b.lines[0].outcomes
    return Scenario(on_a, on_b, {name: explain(name, outcomes[name]) for name in NAMES})


def explain(backend: str, outcome: Outcome) -> str:
    label = backend_named(backend).label
    if outcome.error:
        return f"{label}: B's get failed, so this run shows nothing about sharing: {outcome.error}"
    if outcome.value == repr(VALUE):
        return (
            f"{label}: B read the value A wrote, because both app servers talk to the same "
            "cache server over the network."
        )
    if not backend_named(backend).shared:
        return (
            f"{label}: B got {outcome.value}. A's value lives in A's own process memory; B has "
            "a LocMem store of its own. With several gunicorn workers or machines every process "
            "has its own, so a value cached by one is a miss on the others."
        )
    return (
        f"{label}: B got {outcome.value}, so the value A wrote was not there any more "
        "(evicted or expired between the two calls)."
    )
