"""Waiting for something that happens in another process."""

import time
from collections.abc import Callable


def wait_for(check: Callable[[], bool], seconds: float = 5.0, interval: float = 0.05) -> bool:
    """True as soon as check() is; False if it never was within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return check()
