"""Fixtures shared by the whole suite.

The suite starts its own redis-server and memcached on free ports (never the ones
`make run` uses) and points every cache alias at them for the whole session.
"""

import os
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from cachelab.backends import NAMES
from cachelab.cache_config import build_caches
from cachelab.services import Service, free_port, start_memcached, start_redis

# Playwright's sync API runs an event loop in the test thread; Django refuses database
# access from a thread with a running loop unless told it is fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    service = start_redis(free_port(), tmp_path_factory.mktemp("redis"), persist=False)
    yield service
    service.stop()


@pytest.fixture(scope="session")
def memcached_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    service = start_memcached(free_port(), tmp_path_factory.mktemp("memcached"))
    yield service
    service.stop()


def cache_settings(redis_url: str, memcached_servers: list[str]) -> dict:
    return {
        "REDIS_URL": redis_url,
        "MEMCACHED_SERVERS": memcached_servers,
        "CACHES": build_caches(redis_url, memcached_servers),
    }


@pytest.fixture(scope="session", autouse=True)
def test_cache_servers(redis_server: Service, memcached_server: Service) -> Iterator[None]:
    redis_url = f"redis://{redis_server.address}/0"
    with override_settings(**cache_settings(redis_url, [memcached_server.address])):
        yield


@pytest.fixture(autouse=True)
def empty_caches(test_cache_servers: None) -> None:
    """Every test starts with empty caches on every alias."""
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(params=NAMES)
def backend(request: pytest.FixtureRequest) -> str:
    """One backend-agnostic test, run once per compared backend (cachelab.backends)."""
    return request.param


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
