"""The hub at /learn/: every installed mode with what it is for, about how long it takes and
the learner's state in it, read from the database; linked first from home and the navigation."""

import re

import pytest
from django.test import Client, modify_settings

from challenges.models import Challenge
from learn.modes import MODES, Mode, ModeState, Score, installed_modes
from learners.identity import Learner
from lessons.models import Lesson
from quiz.models import Question
from tests.challenges.conftest import check, first_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(db) -> None:
    """Every mode's content, in the test database for the session (tests/conftest.py)."""


def card(page: str, key: str) -> str:
    found = re.search(rf'id="mode-{key}">(.*?)</li>', page, re.S)
    assert found, f"no card for {key}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))


def test_the_hub_lists_each_installed_mode_with_purpose_time_and_state(content, client) -> None:
    page = client.get("/learn/").content.decode()
    listed = re.findall(r'id="mode-([\w-]+)"', page)
    assert listed == [mode.key for mode in MODES] and len(listed) == 10
    minutes = sum(Lesson.objects.values_list("reading_minutes", flat=True))
    assert f"About {minutes} min" in card(page, "read")
    lessons, challenges = Lesson.objects.count(), Challenge.objects.count()
    assert f"0 of {lessons} lessons read" in card(page, "read")
    assert f"Not started yet · {challenges} to do" in card(page, "predict")
    assert f"About {2 * challenges} min" in card(page, "predict")
    tests = Question.objects.filter(quiz__slug="test").count()
    assert f"Not started yet · {tests} to do" in card(page, "test")


def test_the_hub_shows_what_the_learner_did_in_each_mode(content, client) -> None:
    client.post("/lessons/why-cache/read/")
    slug = "decr-below-zero"
    check(client, slug, first_answers(Challenge.objects.get(slug=slug)))
    client.post("/sandbox/run", {"code": "cache.get('k')", "backends": ["redis"], "server": "A"})
    page = client.get("/learn/").content.decode()
    assert f"1 of {Lesson.objects.count()} lessons read" in card(page, "read")
    assert "Continue where you left off" in card(page, "read")
    assert f"1 of {Challenge.objects.count()} tried · best 3 of 4 predictions right (75%)" in card(
        page, "predict"
    )
    assert "1 run in your history" in card(page, "try")


def test_another_learner_starts_from_nothing(content, client) -> None:
    client.post("/lessons/why-cache/read/")
    page = Client().get("/learn/").content.decode()
    assert f"0 of {Lesson.objects.count()} lessons read" in card(page, "read")


def test_a_mode_is_listed_only_while_its_app_is_installed(content) -> None:
    assert "challenges" in [mode.app for mode in installed_modes()]
    with modify_settings(INSTALLED_APPS={"remove": ["challenges"]}):
        assert "challenges" not in [mode.app for mode in installed_modes()]


def test_a_mode_app_without_a_mode_module_or_function_has_no_state() -> None:
    assert Mode("x", "X", "", 1, "lessons", "lessons:index").state_reader() is None
    assert (
        Mode("x", "X", "", 1, "y", "lessons:index", state="learn.modes.nothing").state_reader()
        is None
    )
    assert Mode("x", "X", "", 1, "challenges", "challenges:index").state_reader() is not None


def test_mode_state_reports_started_and_finished() -> None:
    assert not ModeState().started
    assert ModeState(done=2, total=2).finished and not ModeState(done=1, total=2).finished
    assert Score(3, 4).percent == 75 and Score(0, 0).percent == 0


def test_every_mode_module_reads_an_unknown_visitor_without_error(content) -> None:
    for mode in installed_modes():
        reader = mode.state_reader()
        if reader is not None:
            assert isinstance(reader(Learner()), ModeState)


def test_home_links_the_hub_first_and_the_navigation_names_it(content, client) -> None:
    page = client.get("/").content.decode()
    main = page.split('<main id="main"', 1)[1]
    assert re.search(r'<a [^>]*href="/learn/"', main).start() < main.index('href="/lessons/"')
    nav = page.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'href="([^"]+)"', nav)[0] == "/learn/"
    hub = client.get("/learn/").content.decode()
    assert 'href="/learn/" aria-current="page"' in hub
