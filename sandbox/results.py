"""What a sandbox run gives back: per line, per backend, as the page and the JSON API show it."""

import os
import socket
from dataclasses import dataclass, field
from typing import Any

from sandbox.calls import Call
from sandbox.wire import Wire


def process_label() -> str:
    """host:pid of the process serving this request (read each time: workers are forked)."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class KeyView:
    key: str  # as the learner typed it
    stored_key: str  # as Django builds it: KEY_PREFIX:version:namespace:key
    details: str = ""  # what the server holds, where it can be inspected


@dataclass
class Outcome:
    value: str | None = None  # repr of the return value
    error: str | None = None
    down: bool = False
    latency_us: float | None = None
    keys: list[KeyView] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    wire: Wire = field(default_factory=Wire)
    # LocMem: keys missing here that the learner set in another process, said plainly
    set_elsewhere: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "set_elsewhere": self.set_elsewhere,
            "wire": self.wire.as_dict(),
            "value": self.value,
            "error": self.error,
            "down": self.down,
            "latency_us": self.latency_us,
            "keys": [vars(view) for view in self.keys],
            "warnings": self.warnings,
            "notes": self.notes,
        }


@dataclass
class LineResult:
    call: Call
    outcomes: dict[str, Outcome]
    # [{"backends": [...], "explanation": str, "source": str}]: empty when all agree
    differences: list[dict[str, Any]] = field(default_factory=list)

    def differing(self) -> set[str]:
        """The backends some difference on this line names."""
        return {name for difference in self.differences for name in difference["backends"]}

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.call.line,
            "code": self.call.source,
            "results": {name: outcome.as_dict() for name, outcome in self.outcomes.items()},
            "differences": self.differences,
        }


@dataclass
class Run:
    server: str
    backends: list[str]
    lines: list[LineResult]
    process: str = field(default_factory=process_label)

    def as_dict(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "process": self.process,
            "backends": self.backends,
            "lines": [line.as_dict() for line in self.lines],
        }
