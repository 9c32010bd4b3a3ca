"""Small helpers the sandbox tests share."""

from sandbox.backends import BACKENDS, Run, learner_namespace, run_calls
from sandbox.calls import Call, parse_calls

# Each fake learner's key registries, as their session would keep them.
SESSIONS: dict[str, dict] = {}


def run(code: str, session_key: str = "learner-one", server: str = "A", backends=BACKENDS) -> Run:
    return run_calls_as(session_key, parse_calls(code), server, backends)


def run_calls_as(session_key: str, calls: list[Call], server: str, backends=BACKENDS) -> Run:
    registries = SESSIONS.setdefault(session_key, {})
    namespace = learner_namespace(session_key)
    return run_calls(calls, list(backends), server, namespace, registries)


def last(run_result: Run, backend: str):
    """The outcome of the last line on one backend."""
    return run_result.lines[-1].outcomes[backend]


def values(run_result: Run) -> tuple:
    """The last line's value on each backend, in BACKENDS order: locmem, redis, django-redis,
    memcached."""
    return tuple(last(run_result, name).value for name in run_result.backends)
