"""Servers of a test's own for the site-cache tests that pause, restart or snapshot Redis."""

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.test import override_settings

from ops.services import Service
from sitecache import guard
from tests.conftest import cache_settings


@pytest.fixture
def own_redis(own_server, memcached_server) -> Iterator[Service]:
    """A Redis of this test's own behind every Redis alias (the session-wide one is shared
    with other tests, never paused or restarted)."""
    service = own_server("redis")
    url = f"redis://{service.address}/0"
    with override_settings(**cache_settings(url, [memcached_server.address])):
        yield service
    guard.reset()


def pause(service: Service) -> None:
    """The server stops answering, as in a network partition: the process is stopped
    (SIGSTOP); its socket still accepts connections, nothing is answered until resume()."""
    assert service.process is not None
    os.kill(service.process.pid, signal.SIGSTOP)


def resume(service: Service) -> None:
    assert service.process is not None
    os.kill(service.process.pid, signal.SIGCONT)


@contextmanager
def paused(service: Service) -> Iterator[None]:
    pause(service)
    try:
        yield
    finally:
        resume(service)
