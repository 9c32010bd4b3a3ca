"""The one code path behind the page, the htmx partials and the JSON API: check the request,
identify the learner, count the calls against the rate limit, run them."""

import logging
from dataclasses import dataclass, field
from typing import Any

import redis
from django.http import HttpRequest

from learners.identity import ensure_learner, learner_of
from ops.clients import client_address
from sandbox import limits, registry, scenario
from sandbox.calls import Call, CallError, parse_calls
from sandbox.catalogue import NAMES
from sandbox.columns import column_for, store_name
from sandbox.connections import SERVERS
from sandbox.explanations import CachedExplainer
from sandbox.registry import Registry
from sandbox.results import Outcome, Run
from sandbox.runner import run_calls, stores_for
from sandbox.scenario import Scenario
from sandbox.timing import Timings

logger = logging.getLogger(__name__)


class SandboxError(Exception):
    """Bad input or a limit reached: a message for the learner and an HTTP status."""

    def __init__(
        self, message: str, status: int = 400, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.line = line
        self.column = column

    def as_dict(self) -> dict[str, Any]:
        return {"error": self.message, "line": self.line, "column": self.column}


@dataclass
class RunRequest:
    code: str
    backends: list[str] = field(default_factory=lambda: list(NAMES))
    server: str = "A"


def checked_request(code: Any, backends: Any, server: Any) -> RunRequest:
    if not isinstance(code, str):
        raise SandboxError('"code" must be a string of cache calls, one per line.')
    if not isinstance(backends, list) or not all(isinstance(name, str) for name in backends):
        raise SandboxError(f'"backends" must be a list of backend names: {", ".join(NAMES)}.')
    unknown = [name for name in backends if name not in NAMES]
    if unknown:
        raise SandboxError(f"Unknown backend {unknown[0]!r}: choose from {', '.join(NAMES)}.")
    if not backends:
        raise SandboxError("Choose at least one backend.")
    if server not in SERVERS:
        raise SandboxError(f'Unknown app server {server!r}: "server" is "A" or "B".')
    chosen = [name for name in NAMES if name in backends]  # display order, no repeats
    return RunRequest(code, chosen, server)


def parsed(code: str) -> list[Call]:
    try:
        return parse_calls(code)
    except CallError as error:
        raise SandboxError(str(error), 400, error.line, error.column) from None


@dataclass
class Bookkeeping:
    registries: dict[str, Registry]
    explainer: CachedExplainer


def charge(request: HttpRequest, namespace: str, calls: int, stores: list[str]) -> Bookkeeping:
    """Count the calls against the rate limits and load the learner's key registries for
    `stores`, in one round trip to the site's Redis."""
    address = client_address(request)
    try:
        pipe = registry.redis_client().pipeline(transaction=False)
        limits.queue_count(pipe, namespace, address, calls)
        for store in stores:
            registry.queue_load(pipe, namespace, store)
        answers = pipe.execute(raise_on_error=False)
    except (redis.RedisError, OSError) as error:
        answers = [error] * (1 + len(stores))
    try:
        limits.check(answers[0])
    except limits.RateLimited as error:
        raise SandboxError(str(error), 429) from None
    pairs = zip(stores, answers[1:], strict=True)
    return Bookkeeping(
        {store: registry.loaded(namespace, store, answer) for store, answer in pairs},
        CachedExplainer(),
    )


def learner_namespace(request: HttpRequest, timings: Timings) -> str:
    with timings.measure("session"):
        return ensure_learner(request).namespace


def execute(
    request: HttpRequest, run_request: RunRequest, timings: Timings, inspect: bool = False
) -> Run:
    calls = parsed(run_request.code)
    namespace = learner_namespace(request, timings)
    stores = stores_for(run_request.backends, [run_request.server])
    with timings.measure("ratelimit"):
        kept = charge(request, namespace, len(calls), stores)
    backends, server = run_request.backends, run_request.server
    return run_calls(
        calls, backends, server, namespace, kept.registries, kept.explainer, timings, inspect
    )


def execute_scenario(request: HttpRequest, timings: Timings) -> Scenario:
    """The guided A/B scenario on every backend, as the learner, charged as its two calls."""
    namespace = learner_namespace(request, timings)
    with timings.measure("ratelimit"):
        kept = charge(request, namespace, scenario.CALLS, stores_for(NAMES, SERVERS))
    return scenario.run_scenario(
        lambda calls, server: run_calls(
            calls, list(NAMES), server, namespace, kept.registries, kept.explainer, timings
        )
    )


@dataclass
class DetailsRequest:
    """One cell of a run: a call (one line of code) on one backend and app server."""

    backend: str
    server: str
    code: str


def checked_details(backend: Any, server: Any, code: Any) -> tuple[DetailsRequest, Call]:
    run_request = checked_request(code, [backend], server)
    calls = parsed(run_request.code)
    if len(calls) != 1:
        raise SandboxError("Details are for one call: give one line of code.")
    return DetailsRequest(backend, run_request.server, run_request.code), calls[0]


def held_now(request: HttpRequest, asked: DetailsRequest, call: Call, timings: Timings) -> Outcome:
    """What the server holds now for the call's keys (the cell's details), counted as one
    call against the rate limits. A learner who has run nothing has no keys to look at."""
    learner = learner_of(request)
    if not learner.is_known:
        raise SandboxError("You have not run anything yet, so no key of yours is stored.", 404)
    with timings.measure("ratelimit"):
        charge(request, learner.namespace, 1, [])
    store = store_name(asked.backend, asked.server)
    empty = registry.loaded(learner.namespace, store, None)  # inspection never needs it
    column = column_for(asked.backend, asked.server, learner.namespace, empty, inspect=True)
    with timings.measure(asked.backend):
        return column.held_now(call)
