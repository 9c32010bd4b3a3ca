"""Every cache the site keeps (quiz content, explanations, lesson pages) against the interleavings
that made the old caches serve stale data: a read that started before a write committed and
stores after it, admin edits and deletes, a Redis restored from an old snapshot, a lost
generation and a bump lost to a partition. Two database connections: the reader runs in a
thread of its own, paused by events between reading the database and storing.

Run on SQLite and on PostgreSQL (`--database=postgresql`); the two interleavings where the
reader reads while the write is still uncommitted need a database that lets it (the suite's
in-memory SQLite locks the table instead), so they run on PostgreSQL only.
"""

import html
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from lessons import views as lessons_views
from lessons.models import Lesson
from lessons.page_versions import LESSON_PAGES
from quiz import content
from quiz.content import quiz_content
from quiz.models import Question, Quiz
from sandbox import explanations
from sandbox.explanations import CachedExplainer
from sandbox.models import Explanation
from sitecache import counters, generations
from sitecache.generations import Generational
from tests.sitecache.conftest import pause, resume

pytestmark = pytest.mark.django_db(transaction=True)  # two connections see each other's commits

WAIT = 10  # seconds an event may take before the test fails instead of hanging


@dataclass(frozen=True)
class Case:
    """One cache: what it shows, the row a test edits, and where its database read is."""

    cache: Generational
    fixtures: tuple[str, ...]
    shown: Callable[[], str]  # what learners are shown, read through the cache
    row: Callable[[], Any]  # the row whose text the tests edit
    field: str
    build: tuple[Any, str]  # (module, function) the cache calls to read the database
    admin: str  # the row's admin URL, with {pk}


def practice_prompts() -> str:
    questions = quiz_content(Quiz.objects.get(slug="practice"))
    return "\n".join(question.prompt for question in questions)


def explanation_texts() -> str:
    return "\n".join(rule[4] for rule in CachedExplainer().load_rules())


def redis_lesson_page() -> str:
    """The page a first visit gets (a 404 once the lesson is deleted)."""
    return html.unescape(Client().get("/lessons/redis/").content.decode())


CASES = [
    Case(
        cache=content.QUIZ_CONTENT,
        fixtures=("fixtures/lessons.json", "fixtures/quiz.json"),
        shown=practice_prompts,
        row=lambda: Question.objects.get(quiz__slug="practice", order=1),
        field="prompt",
        build=(content, "build_content"),
        admin="/admin/quiz/question/{pk}/",
    ),
    Case(
        cache=explanations.EXPLANATIONS,
        fixtures=("fixtures/sandbox.json",),
        shown=explanation_texts,
        row=lambda: Explanation.objects.order_by("order", "pk").first(),
        field="explanation",
        build=(explanations, "read_rules"),
        admin="/admin/sandbox/explanation/{pk}/",
    ),
    Case(
        cache=LESSON_PAGES,
        fixtures=("fixtures/lessons.json",),
        shown=redis_lesson_page,
        row=lambda: Lesson.objects.get(slug="redis"),
        field="summary",
        build=(lessons_views, "render_lesson"),
        admin="/admin/lessons/lesson/{pk}/",
    ),
]


@pytest.fixture(params=CASES, ids=[case.cache.name for case in CASES])
def case(request, empty_course) -> Case:
    """Only the case's content, loaded as `make db` loads it."""
    for fixture in request.param.fixtures:
        call_command("loaddata", fixture, verbosity=0)
    return request.param


class Reader:
    """A request of another app server reading through the cache in a thread of its own,
    paused between reading the database and storing what it read."""

    def __init__(self, monkeypatch, case: Case) -> None:
        self.case = case
        self.started, self.may_read = threading.Event(), threading.Event()
        self.read, self.may_store = threading.Event(), threading.Event()
        self.may_read.set()  # unless a test holds it
        self.shown: str | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run)
        module, name = case.build
        real = getattr(module, name)

        def paused_build(*args: Any) -> Any:
            if threading.current_thread() is not self.thread:
                return real(*args)
            self.started.set()
            assert self.may_read.wait(WAIT)
            value = real(*args)
            self.read.set()
            assert self.may_store.wait(WAIT)
            return value

        monkeypatch.setattr(module, name, paused_build)

    def _run(self) -> None:
        try:
            self.shown = self.case.shown()
        except BaseException as error:  # reported by join()
            self.error = error
        finally:
            connection.close()

    def start(self) -> "Reader":
        self.thread.start()
        return self

    def join(self) -> str:
        self.may_store.set()
        self.thread.join(WAIT)
        assert not self.thread.is_alive() and self.error is None, self.error
        return self.shown


def warm(case: Case) -> str:
    """Read until the cache holds the value (a missing generation is made on first read)."""
    for _ in range(3):
        shown = case.shown()
    assert counts(case)["hit"] >= 1
    return shown


def counts(case: Case) -> dict[str, int]:
    return counters.counts().get(("default", case.cache.name), dict.fromkeys(counters.OUTCOMES, 0))


def edit(case: Case, text: str) -> None:
    row = case.row()
    setattr(row, case.field, text)
    with transaction.atomic():
        row.save()


def generation(case: Case) -> bytes | None:
    key = caches["default"].make_key(f"sitecache:generation:{case.cache.name}")
    return caches["default"].client.get_client().get(key)


@pytest.fixture
def editor(django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("editor", password="pw"))
    return client


class FormFields(HTMLParser):
    """The fields an admin change form posts, as a browser would post them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = dict(attrs)
        name = found.get("name")
        if tag == "input" and name and found.get("type") not in ("submit", "button", "file"):
            if found.get("type") != "checkbox" or "checked" in found:
                self.fields[name] = found.get("value") or ("on" if "checked" in found else "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in found:
            self.fields[self._select] = found.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            if self._textarea:  # the browser drops the newline after <textarea>
                self.fields[self._textarea] = self.fields[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None


def admin_edit(client: Client, case: Case, text: str) -> None:
    url = case.admin.format(pk=case.row().pk) + "change/"
    parser = FormFields()
    parser.feed(client.get(url).content.decode())
    response = client.post(url, {**parser.fields, case.field: text})
    assert response.status_code == 302, response.content.decode()[:3000]


def admin_delete(client: Client, case: Case) -> None:
    url = case.admin.format(pk=case.row().pk) + "delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302


# A read that started before the write committed, stored after it


def with_cache_miss(case: Case) -> None:
    """Bump the generation (as any edit would), so the next read misses and reads the
    database."""
    case.cache.bump()


def test_a_read_that_started_before_an_edit_committed_never_leaves_the_old_text(
    case, monkeypatch
) -> None:
    old = warm(case)
    original = getattr(case.row(), case.field)
    reader = Reader(monkeypatch, case)
    with_cache_miss(case)
    reader.start()
    assert reader.read.wait(WAIT)  # it has read the old rows
    edit(case, "Edited while a read was in flight.")
    misses = counts(case)["miss"]
    assert reader.join() == old and original in old  # it read, then stored, the old text
    assert counts(case)["miss"] == misses + 1  # ...after the edit had committed
    for _ in range(2):  # built once more, then from the cache
        shown = case.shown()
        assert "Edited while a read was in flight." in shown and original not in shown


def test_an_admin_edit_during_a_read_is_shown_once_it_has_committed(
    case, editor, monkeypatch
) -> None:
    warm(case)
    reader = Reader(monkeypatch, case)
    with_cache_miss(case)
    reader.start()
    assert reader.read.wait(WAIT)
    admin_edit(editor, case, "Edited in the admin while a read was in flight.")
    assert "Edited in the admin while a read was in flight." not in reader.join()
    assert "Edited in the admin while a read was in flight." in case.shown()
    assert "Edited in the admin while a read was in flight." in case.shown()


def test_an_admin_delete_during_a_read_is_gone_once_it_has_committed(
    case, editor, monkeypatch
) -> None:
    warm(case)
    deleted = getattr(case.row(), case.field)
    reader = Reader(monkeypatch, case)
    with_cache_miss(case)
    reader.start()
    assert reader.read.wait(WAIT)
    admin_delete(editor, case)
    assert deleted in reader.join()
    assert deleted not in case.shown()
    assert deleted not in case.shown()


# The write still uncommitted while the reader reads (PostgreSQL: SQLite's test database
# locks the table instead of showing the committed rows)


@pytest.fixture
def concurrent_reads(settings) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that serves committed rows during a write")


def test_a_read_of_the_rows_a_write_has_not_committed_yet_is_never_kept(
    case, monkeypatch, concurrent_reads
) -> None:
    warm(case)
    original = getattr(case.row(), case.field)
    reader = Reader(monkeypatch, case)
    with_cache_miss(case)
    reader.may_read.clear()
    reader.start()
    assert reader.started.wait(WAIT)  # it has read the generation, not yet the rows
    with transaction.atomic():
        row = case.row()
        setattr(row, case.field, "Committed after the read.")
        row.save()
        reader.may_read.set()
        assert reader.read.wait(WAIT)  # it read the committed (old) rows meanwhile
    assert original in reader.join()
    assert "Committed after the read." in case.shown()
    assert "Committed after the read." in case.shown()


def test_a_read_while_a_write_is_in_flight_stores_nothing(
    case, monkeypatch, concurrent_reads
) -> None:
    warm(case)
    original = getattr(case.row(), case.field)
    with transaction.atomic():
        row = case.row()
        setattr(row, case.field, "Written, not yet committed.")
        row.save()
        assert generation(case).startswith(b"w")  # marked as being written
        uncached = counts(case)["uncached"]
        reader = Reader(monkeypatch, case).start()
        assert original in reader.join()  # what is committed so far
        assert counts(case)["uncached"] == uncached + 1  # read, not stored
    assert "Written, not yet committed." in case.shown()


# Redis itself: restored from an old snapshot, a generation lost, a bump lost


def test_a_redis_restored_from_an_old_snapshot_never_serves_what_it_held(case, own_redis) -> None:
    old = warm(case)
    client = caches["default"].client.get_client()
    old_generation = generation(case)
    client.save()  # the snapshot now holds the generation and the value stored under it
    edit(case, "Edited after the snapshot.")
    assert "Edited after the snapshot." in warm(case)
    own_redis.restart()  # Redis starts again from the snapshot taken before the edit
    client.connection_pool.disconnect()
    assert generation(case) == old_generation  # the old generation is back, with its values
    errors = counts(case)["error"] + counts(case)["skipped"]
    shown = case.shown()
    assert "Edited after the snapshot." in shown and shown != old
    assert counts(case)["error"] + counts(case)["skipped"] == errors  # answered by Redis


def test_a_lost_generation_is_replaced_by_one_never_seen_before(case) -> None:
    seen = {generation(case)}
    warm(case)
    for text in ("First edit.", "Second edit."):
        edit(case, text)
        seen.add(generation(case))
        warm(case)
    caches["default"].client.get_client().delete(
        caches["default"].make_key(f"sitecache:generation:{case.cache.name}")
    )  # evicted, or Redis restarted empty
    assert "Second edit." in case.shown()
    assert generation(case) not in seen
    assert "Second edit." in warm(case)


def test_an_edit_whose_bump_meets_a_partition_is_never_served_stale(
    case, own_redis, caplog
) -> None:
    old = warm(case)
    caplog.set_level(logging.ERROR, logger="sitecache.generations")
    try:
        with transaction.atomic():
            row = case.row()
            setattr(row, case.field, "Committed while Redis was unreachable.")
            row.save()  # marked as being written, at once
            pause(own_redis)
        # committed: the bump on commit met a Redis that does not answer
    finally:
        resume(own_redis)
    assert "Could not move the generation" in caplog.text
    for pending in (True, False):  # this process (it bumps again), another app server
        if not pending:
            generations._pending.discard(case.cache.name)
        shown = case.shown()
        assert "Committed while Redis was unreachable." in shown and shown != old


def test_an_edit_whose_writer_dies_before_its_bump_is_never_served_stale(case) -> None:
    old = warm(case)
    with transaction.atomic():
        row = case.row()
        setattr(row, case.field, "Committed by a process that died at once.")
        row.save()  # marked as being written, at once
        connection.run_on_commit.clear()  # the process dies after COMMIT, before its bump
    assert generation(case).startswith(b"w")  # the writing mark stays until it expires
    uncached = counts(case)["uncached"]
    for _ in range(2):
        shown = case.shown()
        assert "Committed by a process that died at once." in shown and shown != old
    assert counts(case)["uncached"] == uncached + 2  # read, never stored


@pytest.fixture(autouse=True)
def no_pending_bumps() -> Iterator[None]:
    yield
    generations._pending.clear()
