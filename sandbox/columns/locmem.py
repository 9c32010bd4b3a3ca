"""The LocMem column: a store inside this very process, with no server and no wire.

With several worker processes each has a LocMem store of its own, so a learner's key can be
set by one process and missing on the next request's. The key registry records which
processes set each key, so such a miss is told for what it is rather than shown as None.
"""

import time

from sandbox import wire
from sandbox.calls import CREATING_METHODS, Call
from sandbox.columns.base import Column
from sandbox.results import KeyView, Outcome

NOT_READING = CREATING_METHODS | {"delete", "delete_many", "clear"}


class LocMemColumn(Column):
    def execute(self, call: Call, outcome: Outcome) -> None:
        super().execute(call, outcome)
        if call.method not in NOT_READING:
            outcome.set_elsewhere = self.set_elsewhere(call)

    def set_elsewhere(self, call: Call) -> list[str]:
        """For each key missing here that the learner set in other processes, say so."""
        notes = []
        version = call.arguments.get("version")
        for key in call.named_keys():
            processes = self.registry.processes((key, version))
            if not processes or self.process in processes:
                continue
            if self.cache.has_key(self.stored(key), version=version):
                continue
            notes.append(
                f"'{key}' is not in this process's LocMem store: you set it in process "
                f"{', '.join(sorted(processes))}, and this request was served by process "
                f"{self.process}. Every worker process has a LocMem store of its own, so a "
                "value cached by one is a miss on the others: lesson 1's production bug, live."
            )
        return notes

    def wire_of(self, capture: wire.Capture, call: Call) -> wire.Wire:
        version = call.arguments.get("version")
        stored = [self.cache.make_key(self.stored(key), version) for key in call.named_keys()]
        return wire.locmem_wire(self.cache, call.method, stored)

    def describe(self, views: list[KeyView]) -> None:
        cache = self.cache
        with cache._lock:  # read the store as LocMemCache itself does
            for view in views:
                pickled = cache._cache.get(view.stored_key)
                expires = cache._expire_info.get(view.stored_key)
                if pickled is None or (expires is not None and expires <= time.time()):
                    view.details = f"not in this process's LocMem store ({self.process})"
                    continue
                ttl = (
                    "never expires"
                    if expires is None
                    else f"expires in {expires - time.time():.0f} s"
                )
                view.details = f"{len(pickled)} bytes pickled in process {self.process}, {ttl}"
