"""Where a sandbox request's time went, for the Server-Timing header (seen in DevTools)."""

import time
from collections.abc import Iterator
from contextlib import contextmanager

DESCRIPTIONS = {
    "session": "the learner from their session",
    "ratelimit": "rate limit and key registries in one Redis round trip",
}


class Timings:
    def __init__(self) -> None:
        self.durations_ns: dict[str, int] = {}

    @contextmanager
    def measure(self, name: str) -> Iterator[None]:
        started = time.perf_counter_ns()
        try:
            yield
        finally:
            self.add(name, time.perf_counter_ns() - started)

    def add(self, name: str, nanoseconds: int) -> None:
        self.durations_ns[name] = self.durations_ns.get(name, 0) + nanoseconds

    def header(self) -> str:
        """`name;dur=<ms>;desc="..."` per part, as Server-Timing wants it."""
        return ", ".join(
            f"{name};dur={ns / 1e6:.3f}"
            + (f';desc="{DESCRIPTIONS[name]}"' if name in DESCRIPTIONS else "")
            for name, ns in self.durations_ns.items()
        )
