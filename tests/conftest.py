"""Fixtures shared by the whole suite.

The suite starts its own redis-server and memcached on free ports (never the ones
`make run` uses) and points every cache alias at them for the whole session.

`pytest --database=postgresql` runs the tests that touch the database (marked django_db, or
using the db or live_server fixtures) on a PostgreSQL cluster of the suite's own instead of
SQLite; `make test` runs the whole suite on SQLite, then that part on PostgreSQL.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.test import override_settings

from cachelab.cache_config import build_caches
from ops.postgres import database_url
from ops.services import Service
from sandbox.catalogue import NAMES
from tests.servers import postgres_directory, remove_directory, start_plain_server, start_server

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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="postgresql: run the database-touching tests on a PostgreSQL cluster of their own",
    )


def on_postgresql(config: pytest.Config) -> bool:
    return config.getoption("--database") == "postgresql"


def pytest_configure(config: pytest.Config) -> None:
    """Before any test touches the database: point it at a fresh PostgreSQL cluster."""
    if not on_postgresql(config):
        return
    directory = postgres_directory()
    config.add_cleanup(lambda: remove_directory(directory))
    server = start_server("postgres", directory)
    config.add_cleanup(server.stop)
    # In place: Django has already filled in this dict's defaults (ATOMIC_REQUESTS, TEST...).
    settings.DATABASES["default"].update(dj_database_url.parse(database_url(server.port)))
    # Loading the apps made a (SQLite) connection object already: make the next use build
    # a PostgreSQL one from the settings above.
    for connection in connections.all(initialized_only=True):
        connection.close()
        del connections[connection.alias]


def touches_database(item: pytest.Item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    return (
        item.get_closest_marker("django_db") is not None
        or "django_db_setup" in fixtures
        or "live_server" in fixtures
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL only the database-touching tests run (the rest ran on SQLite); the
    cluster tests start their own PostgreSQL either way, so they run once, on SQLite."""
    if not on_postgresql(config):
        return
    keep, drop = [], []
    for item in items:
        wanted = touches_database(item) and item.get_closest_marker("cluster") is None
        (keep if wanted else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    service = start_server("redis", tmp_path_factory.mktemp("redis"))
    yield service
    service.stop()


@pytest.fixture(scope="session")
def memcached_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    service = start_server("memcached", tmp_path_factory.mktemp("memcached"))
    yield service
    service.stop()


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Callable[..., Service]]:
    """own_server("redis" | "memcached" | "postgres"): a throwaway server on a free port,
    for a test that stops it (service.stop()) or restarts it (service.restart());
    stopped after the test."""
    started: list[Service] = []
    directories: list[Path] = []

    def start(kind: str) -> Service:
        directory = tmp_path
        if kind == "postgres":
            directory = postgres_directory()
            directories.append(directory)
        service = start_server(kind, directory)
        started.append(service)
        return service

    yield start
    for service in reversed(started):
        service.stop()
    for directory in directories:
        remove_directory(directory)


@pytest.fixture
def plain_server(tmp_path: Path) -> Iterator[Callable[..., Service]]:
    """plain_server("redis" | "memcached", *options): a throwaway server started with only its
    address and `options`, on its own defaults otherwise; stopped after the test."""
    started: list[Service] = []

    def start(kind: str, *options: str, port: int | None = None) -> Service:
        service = start_plain_server(kind, tmp_path / f"{kind}-{len(started)}", *options, port=port)
        started.append(service)
        return service

    yield start
    for service in reversed(started):
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
    """One backend-agnostic test, run once per compared backend (sandbox.catalogue)."""
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
