"""Run a challenge live, as the learner, through the sandbox's own code path.

The lines run on app server A in the learner's sandbox namespace, counted against the
sandbox's rate limit like any run. Then, for the questions that need it, the sandbox asks
app server B whether it sees a key (`cache.has_key` on B's stores) and reads what each
server holds for a key (TTL, Memcached flags). The challenge's keys are deleted before the
run, so an earlier run cannot change the answers, and after it, so a challenge leaves
nothing in the learner's key lists.
"""

import logging
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

import redis
from django.http import HttpRequest

from challenges.held import Held, held
from challenges.models import Kind, Question
from sandbox.calls import Call, parse_calls
from sandbox.catalogue import NAMES
from sandbox.columns import BackendDown, Column, column_for, store_name
from sandbox.registry import Entry, Registry
from sandbox.results import Outcome, Run
from sandbox.runner import run_calls, stores_for
from sandbox.service import charge, learner_namespace, parsed
from sandbox.timing import Timings

logger = logging.getLogger(__name__)

REGISTRY_DOWN = (
    "The sandbox keeps the list of your keys in the site's Redis, which cannot be reached."
)


@dataclass
class Observed:
    """What the backends did: the lines on A, B's view of keys, what the servers hold."""

    run: Run
    on_b: dict[str, Run] = field(default_factory=dict)  # key -> has_key(key) run on B
    held: dict[tuple[str, str], Held] = field(default_factory=dict)  # (backend, key)
    # backend -> why nothing about it can be graded now (its server is down, say)
    unavailable: dict[str, str] = field(default_factory=dict)

    def line(self, number: int):
        return next(line for line in self.run.lines if line.call.line == number)


def asked_backends(questions: Iterable[Question], kinds: set[str] | None = None) -> list[str]:
    """The backends some question (of `kinds`) asks about, in the catalogue's order."""
    wanted = {
        name
        for question in questions
        if kinds is None or question.kind in kinds
        for name in question.backend_names()
    }
    return [name for name in NAMES if name in wanted]


def keys_of(questions: Iterable[Question], kind: str) -> list[str]:
    return list(dict.fromkeys(question.key for question in questions if question.kind == kind))


def entries_of(calls: Iterable[Call]) -> set[Entry]:
    return {(key, call.arguments.get("version")) for call in calls for key in call.named_keys()}


def run_challenge(
    request: HttpRequest, code: str, questions: list[Question], timings: Timings
) -> Observed:
    """Run `code` and the probes `questions` need; SandboxError for a limit reached."""
    calls = parsed(code)
    backends = asked_backends(questions)
    b_keys = keys_of(questions, Kind.SEEN_ON_B)
    b_backends = asked_backends(questions, {Kind.SEEN_ON_B})
    namespace = learner_namespace(request, timings)
    stores = stores_for(backends, ["A"]) + stores_for(b_backends, ["B"])
    with timings.measure("ratelimit"):
        kept = charge(request, namespace, len(calls) + len(b_keys), list(dict.fromkeys(stores)))
    registries = kept.registries
    entries = entries_of(calls)
    places = [(name, "A") for name in backends] + [(name, "B") for name in b_backends]
    tidy_columns = [
        column_for(name, server, namespace, registries[store_name(name, server)], False)
        for name, server in places
    ]
    tidy(tidy_columns, entries)
    try:
        run = run_calls(calls, backends, "A", namespace, registries, kept.explainer, timings, False)
        observed = Observed(run)
        for key in b_keys:
            has_key = parse_calls(f"cache.has_key({key!r})")
            observed.on_b[key] = run_calls(
                has_key, b_backends, "B", namespace, registries, kept.explainer, timings, False
            )
        note_unavailable(observed, registries)
        read_held(observed, questions, namespace, registries)
    finally:
        tidy(tidy_columns, entries)
    return observed


def tidy(columns: list[Column], entries: set[Entry]) -> None:
    """Delete the challenge's keys from each store and from the learner's key lists. A server
    that is down is skipped here: the run itself says so."""
    for column in columns:
        for key, version in entries:
            try:
                with warnings.catch_warnings():  # a key Memcached would refuse: the run warns
                    warnings.simplefilter("ignore")
                    column.cache.delete(column.stored(key), version=version)
            except Exception:  # a key the backend refuses, a server that is down
                continue
        if not column.registry.available:
            continue
        try:
            column.registry.release(entries, column.process)
        except (redis.RedisError, OSError) as error:
            logger.warning("Challenge keys not released from the key list: %s", error)


def note_unavailable(observed: Observed, registries: dict[str, Registry]) -> None:
    """A backend whose server was down, or whose key list could not be kept, is not graded."""
    runs = [observed.run, *observed.on_b.values()]
    for run in runs:
        for line in run.lines:
            for name, outcome in line.outcomes.items():
                if outcome.down and name not in observed.unavailable:
                    observed.unavailable[name] = outcome.error.removeprefix("Skipped: ")
        for name in run.backends:
            if not registries[store_name(name, run.server)].available:
                observed.unavailable.setdefault(name, REGISTRY_DOWN)


def read_held(
    observed: Observed, questions: list[Question], namespace: str, registries: dict[str, Registry]
) -> None:
    wanted = {
        (name, question.key)
        for question in questions
        if question.kind in (Kind.TTL, Kind.FLAGS)
        for name in question.backend_names()
        if name not in observed.unavailable
    }
    for name, key in sorted(wanted):
        column = column_for(name, "A", namespace, registries[store_name(name, "A")], False)
        try:
            observed.held[(name, key)] = held(column, key)
        except BackendDown as error:
            observed.unavailable[name] = str(error)
        except Exception as error:  # never a 500: this part is simply not graded
            observed.unavailable[name] = f"What {name} holds could not be read: {error}"


def outcome_of(observed: Observed, question: Question, backend: str) -> Outcome:
    return observed.line(question.line).outcomes[backend]
