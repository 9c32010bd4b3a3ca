"""Small helpers the sandbox tests share."""

from learners.identity import Learner
from sandbox import registry
from sandbox.calls import Call, parse_calls
from sandbox.catalogue import NAMES
from sandbox.differences import Explainer
from sandbox.results import Run
from sandbox.runner import run_calls, stores_for


def namespace_of(learner: str) -> str:
    """The namespace of a visitor whose id is `learner`."""
    return Learner(visitor=learner).namespace


def run(
    code: str, learner: str = "learner-one", server: str = "A", backends=NAMES, inspect=True
) -> Run:
    """Run as the visitor `learner`; with `inspect` (the default here, as the API's
    "inspect": true) each call is followed by the sandbox's read-back and inspection."""
    return run_calls_as(learner, parse_calls(code), server, backends, inspect)


def run_calls_as(
    learner: str, calls: list[Call], server: str, backends=NAMES, inspect: bool = True
) -> Run:
    """Run as the visitor `learner`, with their key registries loaded as a request would."""
    namespace = namespace_of(learner)
    registries = registry.load(namespace, stores_for(backends, [server]))
    return run_calls(
        calls, list(backends), server, namespace, registries, Explainer(), inspect=inspect
    )


def last(run_result: Run, backend: str):
    """The outcome of the last line on one backend."""
    return run_result.lines[-1].outcomes[backend]


def values(run_result: Run) -> tuple:
    """The last line's value on each backend, in the catalogue's order: locmem, redis,
    django-redis, memcached."""
    return tuple(last(run_result, name).value for name in run_result.backends)
