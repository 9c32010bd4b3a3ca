"""The LocMem column: a store inside this very process, with no server and no wire."""

import time

from sandbox.columns.base import Column
from sandbox.results import KeyView, process_label


class LocMemColumn(Column):
    def describe(self, views: list[KeyView]) -> None:
        cache = self.cache
        with cache._lock:  # read the store as LocMemCache itself does
            for view in views:
                pickled = cache._cache.get(view.stored_key)
                expires = cache._expire_info.get(view.stored_key)
                if pickled is None or (expires is not None and expires <= time.time()):
                    view.details = f"not in this process's LocMem store ({process_label()})"
                    continue
                ttl = (
                    "never expires"
                    if expires is None
                    else f"expires in {expires - time.time():.0f} s"
                )
                view.details = f"{len(pickled)} bytes pickled in process {process_label()}, {ttl}"
