"""The one code path behind the page, the htmx partials and the JSON API: check the request,
identify the learner by session, count the calls against the rate limit, run them."""

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from cachelab.clients import client_address
from sandbox.backends import BACKENDS, SERVERS, Run, learner_namespace, run_calls
from sandbox.calls import Call, CallError, parse_calls
from sandbox.limits import RateLimited, count_calls

REGISTRY_SESSION_KEY = "sandbox_keys"


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
    backends: list[str] = field(default_factory=lambda: list(BACKENDS))
    server: str = "A"


def checked_request(code: Any, backends: Any, server: Any) -> RunRequest:
    if not isinstance(code, str):
        raise SandboxError('"code" must be a string of cache calls, one per line.')
    if not isinstance(backends, list) or not all(isinstance(name, str) for name in backends):
        raise SandboxError(f'"backends" must be a list of backend names: {", ".join(BACKENDS)}.')
    unknown = [name for name in backends if name not in BACKENDS]
    if unknown:
        raise SandboxError(f"Unknown backend {unknown[0]!r}: choose from {', '.join(BACKENDS)}.")
    if not backends:
        raise SandboxError("Choose at least one backend.")
    if server not in SERVERS:
        raise SandboxError(f'Unknown app server {server!r}: "server" is "A" or "B".')
    chosen = [name for name in BACKENDS if name in backends]  # display order, no repeats
    return RunRequest(code, chosen, server)


def learner_of(request: HttpRequest) -> str:
    """The learner's namespace, from their session (created on first use)."""
    session = request.session
    session.keys()  # load it: a cookie naming no stored session leaves session_key None
    if session.session_key is None:
        session.save()
        session.modified = True  # so SessionMiddleware sends the new cookie
    return learner_namespace(session.session_key)


def parsed(code: str) -> list[Call]:
    try:
        return parse_calls(code)
    except CallError as error:
        raise SandboxError(str(error), 400, error.line, error.column) from None


def charge(request: HttpRequest, namespace: str, calls: int) -> None:
    try:
        count_calls(namespace, client_address(request), calls)
    except RateLimited as error:
        raise SandboxError(str(error), 429) from None


def run_in_session(
    request: HttpRequest, calls: list[Call], backends: list[str], server: str, inspect: bool = True
) -> Run:
    """Run as the session's learner, keeping their key registry in the session."""
    registries = request.session.get(REGISTRY_SESSION_KEY, {})
    result = run_calls(calls, backends, server, learner_of(request), registries, inspect)
    if result.registries_changed:
        request.session[REGISTRY_SESSION_KEY] = registries
    return result


def execute(request: HttpRequest, run_request: RunRequest, inspect: bool = True) -> Run:
    calls = parsed(run_request.code)
    charge(request, learner_of(request), len(calls))
    return run_in_session(request, calls, run_request.backends, run_request.server, inspect)
