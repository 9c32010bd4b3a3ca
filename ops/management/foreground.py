"""Helpers of the commands that keep servers running in the foreground (cluster, serve)."""

import contextlib
import signal
import sys
import threading

from django.core.management.base import CommandError

from ops.services import LOOPBACK


def loopback_port(addrport: str) -> int:
    host, _, port = addrport.rpartition(":")
    if host not in ("", LOOPBACK) or not port.isdigit():
        raise CommandError(f"{addrport!r}: this command listens on {LOOPBACK}:PORT only.")
    return int(port)


def wait_for_ctrl_c() -> None:
    """Block until Ctrl-C or a plain `kill`; then the caller's `with` stops everything (even
    when a shell that started this in the background set SIGINT to be ignored)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()
