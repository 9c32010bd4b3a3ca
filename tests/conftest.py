"""Fixtures shared by the whole suite.

Servers: the suite starts its own redis-server and memcached on free ports (never the ones
`make run` uses; tests/servers.py, from pytest-redis and mirakuru) and points every cache
alias at them for the whole session. `own_server(kind)` gives a test a throwaway one to
stop, restart or pause.

Database: `pytest --database=postgresql` runs the tests that touch the database (marked
django_db, or using the db or live_server fixtures) on a PostgreSQL cluster of the suite's
own (pytest-postgresql) instead of SQLite; browser tests are left out there, as they reach
the database only through views the other tests already run on PostgreSQL. `make test`
runs the whole suite on SQLite, then that part on PostgreSQL.

Content: the course content (fixtures/*.json, as `make db` loads it) is in the test
database from the start, loaded once per session: a test's changes to it are rolled back,
and after a transactional test (transaction=True, live_server), whose teardown empties
every table, the next test that touches the database loads it again. Tests create their
own users, attempts and the like.
"""

import os
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.test import TestCase, override_settings

from cachelab.cache_config import build_caches
from sandbox.catalogue import NAMES
from sitecache.generations import generational_caches
from tests.content import CourseContent
from tests.servers import Server, database_settings, start_plain_server, start_server

# Playwright's sync API runs an event loop in the test thread; Django refuses database
# access from a thread with a running loop unless told it is fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Hashing a password the production way (PBKDF2, on purpose slow) costs every sign-up and
# log-in in the suite about 0.3 s: the tests check who is signed in, not the hash.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Every test client builds its own middleware, and WhiteNoise's reads every file under
# STATIC_ROOT (once collectstatic has run: 0.1 s a client); told to look files up per
# request instead, it reads none until a test asks for one.
STATIC_FILES_LOOKED_UP = {"WHITENOISE_AUTOREFRESH": True}

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


def touches_database(item: pytest.Item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    return (
        item.get_closest_marker("django_db") is not None
        or "django_db_setup" in fixtures
        or "live_server" in fixtures
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL only the database-touching tests run (the rest ran on SQLite). The
    cluster tests start their own PostgreSQL either way, and the browser tests drive views
    that the other tests already run on PostgreSQL: both run once, on SQLite."""
    if not on_postgresql(config):
        return
    keep, drop = [], []
    for item in items:
        once = item.get_closest_marker("cluster") or item.get_closest_marker("browser")
        (keep if touches_database(item) and not once else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def redis_server() -> Iterator[Server]:
    server = start_server("redis")
    yield server
    server.remove()


@pytest.fixture(scope="session")
def memcached_server() -> Iterator[Server]:
    server = start_server("memcached")
    yield server
    server.remove()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    server = start_server("postgres")
    yield server
    server.remove()


@pytest.fixture
def own_server() -> Iterator[Callable[[str], Server]]:
    """own_server("redis" | "memcached" | "postgres"): a throwaway server on a free port,
    for a test that stops it (server.stop()), starts it again (server.start(),
    server.restart(): same port; PostgreSQL keeps its data) or pauses it
    (`with server.paused():`); removed after the test."""
    started: list[Server] = []

    def start(kind: str) -> Server:
        server = start_server(kind)
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.remove()


@pytest.fixture
def plain_server() -> Iterator[Callable[..., Server]]:
    """plain_server("redis" | "memcached", *options, port=None): a throwaway server started
    with only its address and `options`, on its own defaults otherwise; removed after the
    test."""
    started: list[Server] = []

    def start(kind: str, *options: str, port: int | None = None) -> Server:
        server = start_plain_server(kind, *options, port=port)
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.remove()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    request: pytest.FixtureRequest, django_db_modify_db_settings_parallel_suffix: None
) -> None:
    """With --database=postgresql, before the test database is created: point Django at
    the suite's PostgreSQL."""
    if not on_postgresql(request.config):
        return
    server: Server = request.getfixturevalue("postgres_server")
    # In place: Django has already filled in this dict's defaults (ATOMIC_REQUESTS, TEST...).
    settings.DATABASES["default"].update(database_settings(server))
    # Loading the apps made a (SQLite) connection object already: make the next use build
    # a PostgreSQL one from the settings above.
    for connection in connections.all(initialized_only=True):
        connection.close()
        del connections[connection.alias]


@pytest.fixture(scope="session")
def course_loaded() -> CourseContent:
    """The course content of the session's test database (tests/content.py)."""
    return CourseContent()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker, course_loaded: CourseContent) -> None:
    """The test database, with the course content loaded once for the session (before any
    test's transaction begins)."""
    with django_db_blocker.unblock():
        course_loaded.load()


@pytest.fixture(autouse=True)
def course_content(request: pytest.FixtureRequest, empty_caches: None) -> None:
    """A test that touches the database finds the course content there (put back after a
    transactional test emptied the tables; one query otherwise), and the site's caches as
    loading it left them: empty, each generation a fresh token (sitecache.generations), as
    when the load committed."""
    if not touches_database(request.node):
        return
    request.getfixturevalue("db")  # the test's own kind: transactional or not
    content: CourseContent = request.getfixturevalue("course_loaded")
    if not content.present():
        content.restore()
    with TestCase.captureOnCommitCallbacks(execute=True):
        for cache in generational_caches().values():
            cache.bump()


@pytest.fixture
def empty_course(course_content: None, course_loaded: CourseContent) -> None:
    """For a test that loads content itself: the content tables (and loadcontent's
    records) emptied, in the test's transaction."""
    course_loaded.remove()


def cache_settings(redis_url: str, memcached_servers: list[str]) -> dict:
    return {
        "REDIS_URL": redis_url,
        "MEMCACHED_SERVERS": memcached_servers,
        "CACHES": build_caches(redis_url, memcached_servers),
    }


@pytest.fixture(scope="session", autouse=True)
def test_cache_servers(redis_server: Server, memcached_server: Server) -> Iterator[None]:
    """For the whole session: every cache alias on the suite's servers, a fast password
    hasher and static files looked up when asked for."""
    redis_url = f"redis://{redis_server.address}/0"
    overrides = cache_settings(redis_url, [memcached_server.address])
    with override_settings(**overrides, **STATIC_FILES_LOOKED_UP, PASSWORD_HASHERS=FAST_HASHERS):
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


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Chromium, for the tests of one module: Playwright's sync API keeps an event loop
    running in this thread until it stops, and asyncio.run() refuses to start under one
    (the async cache tests run after the browser tests)."""
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
