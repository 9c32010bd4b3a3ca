"""Run checked Calls on the chosen backends, one column per backend, one learner at a time."""

from collections.abc import Iterable

from sandbox.calls import Call
from sandbox.columns import column_for, store_name
from sandbox.differences import Explainer, Seen
from sandbox.registry import Registry
from sandbox.results import LineResult, Run
from sandbox.timing import Timings


def stores_for(backends: Iterable[str], servers: Iterable[str]) -> list[str]:
    """The stores (key registries) runs on these backends and app servers touch."""
    return list(dict.fromkeys(store_name(b, server) for server in servers for b in backends))


def run_calls(
    calls: Iterable[Call],
    backends: list[str],
    server: str,
    namespace: str,
    registries: dict[str, Registry],
    explainer: Explainer,
    timings: Timings | None = None,
    inspect: bool = False,
) -> Run:
    """Run every call on every backend, line by line; `registries` (from sandbox.registry,
    one per store) are kept in step with what the calls store, and `explainer` says where
    and why the backends disagree. With `inspect`, each call is followed by the sandbox's
    read-back and inspection commands (the JSON API's "inspect"); otherwise a run sends the
    learner's calls and its bookkeeping only, and `Column.held_now` fetches a cell's details
    when the learner opens them."""
    columns = [
        column_for(name, server, namespace, registries[store_name(name, server)], inspect)
        for name in backends
    ]
    lines = []
    for call in calls:
        outcomes = {column.backend: column.run(call) for column in columns}
        seen = [Seen.of(name, outcome) for name, outcome in outcomes.items()]
        lines.append(
            LineResult(call, outcomes, explainer.differences(call.method, call.source, seen))
        )
    if timings is not None:
        for column in columns:
            timings.add(column.backend, column.elapsed_ns)
    return Run(server, list(backends), lines)
