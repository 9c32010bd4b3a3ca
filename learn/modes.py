"""The ten learning modes the hub at /learn/ lists, and the interface a mode's app provides.

The interface
-------------
A mode's app may provide a module `<app>/mode.py` with one function:

    def state_for(learner: learners.identity.Learner) -> learn.modes.ModeState

It returns where this learner stands in the mode, read from the database (or the site's
Redis), for any learner, including a visitor who has done nothing yet
(`learner.is_known` is False: return `ModeState()`). It must not write anything. The
hub calls it once per page view.

The hub lists a mode only when its app is installed (`django.apps.apps.is_installed`),
so a mode appears the moment its app joins INSTALLED_APPS and never as "coming soon". A
mode whose app has no `mode.py` is listed without a state. What a mode is for and about
how long it takes are written here, in MODES (the hub's own words); a mode may give a
better duration from its content with `ModeState.minutes`.

The modes built before the hub (lessons, quiz, sandbox, lab) do not carry a `mode.py`:
their states are read by `learn/states.py` through each app's public progress functions,
named in MODES by `state`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from learners.identity import Learner


@dataclass(frozen=True)
class Score:
    right: int
    out_of: int

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.out_of) if self.out_of else 0


@dataclass(frozen=True)
class ModeState:
    """Where one learner stands in one mode; every field optional."""

    summary: str = ""  # one line, e.g. "3 of 6 lessons read"; "" says "Not started yet"
    done: int = 0  # items finished: lessons read, challenges tried, cards reviewed...
    total: int | None = None  # items in the mode, where they can be counted
    due: int = 0  # items waiting for the learner now: cards due, questions to review
    score: Score | None = None  # the learner's best, where the mode scores
    minutes: int | None = None  # about how long the mode takes, from its content
    continue_url: str = ""  # where to pick up, when that is not the mode's own page

    @property
    def started(self) -> bool:
        return bool(self.done or self.score or self.summary)

    @property
    def finished(self) -> bool:
        return self.total is not None and self.total > 0 and self.done >= self.total


@dataclass(frozen=True)
class Mode:
    key: str
    title: str
    purpose: str  # what it is for, one sentence
    minutes: int  # about how long a sitting takes, unless the state says better
    app: str  # the app that serves it; the mode is listed only when it is installed
    url_name: str
    url_args: tuple[str, ...] = ()
    state: str = ""  # "module.function" reading the state; default "<app>.mode.state_for"

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=self.url_args)

    def state_reader(self) -> Callable[[Learner], ModeState] | None:
        module_name, _, function = (self.state or f"{self.app}.mode.state_for").rpartition(".")
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise  # the module exists but is broken: say so
            return None
        return getattr(module, function, None)


MODES = (
    Mode(
        "read",
        "Read",
        "The lessons: each backend, its settings and pitfalls, caching pages, with every "
        "example runnable.",
        30,
        "lessons",
        "lessons:index",
        state="learn.states.read_state",
    ),
    Mode(
        "practice",
        "Practice",
        "The practice questions, each with a worked solution: steps, a quick check, a hint "
        "and the common mistakes.",
        10,
        "quiz",
        "quiz:quiz",
        ("practice",),
        state="learn.states.practice_state",
    ),
    Mode(
        "test",
        "Test this pattern",
        "Questions across easy, medium and hard over all the lessons, scored.",
        15,
        "quiz",
        "quiz:quiz",
        ("test",),
        state="learn.states.test_state",
    ),
    Mode(
        "try",
        "Try it",
        "The sandbox: type cache calls and run them live on LocMem, Redis and Memcached, "
        "side by side, with what went over the wire.",
        10,
        "sandbox",
        "sandbox:index",
        state="learn.states.try_state",
    ),
    Mode(
        "measure",
        "Measure it",
        "The lab: what caching saves on a slow page, several app servers, cold starts, "
        "stampedes and the cache_page leak, measured live.",
        15,
        "lab",
        "lab:index",
        state="learn.states.measure_state",
    ),
    Mode(
        "review",
        "Review what you missed",
        "A quiz of just the questions whose latest answer was wrong.",
        5,
        "quiz",
        "quiz:review",
        state="learn.states.review_state",
    ),
    Mode(
        "predict",
        "Predict, then run",
        "Predict what the backends will return, send and store, then run it live: the "
        "servers grade you.",
        30,
        "challenges",
        "challenges:index",
    ),
    Mode(
        "flashcards",
        "Flashcards",
        "Short cards over every lesson, scheduled so each comes back just before you "
        "would forget it.",
        10,
        "flashcards",
        "flashcards:index",
    ),
    Mode(
        "spot-the-bug",
        "Spot the bug",
        "Short settings, views and templates with one defect each: find the line.",
        15,
        "spotbug",
        "spotbug:index",
    ),
    Mode(
        "cheat-sheet",
        "Cheat sheet",
        "The facts you reach for on one printable page, each linked to its lesson.",
        5,
        "cheatsheet",
        "cheatsheet:index",
    ),
)


@dataclass(frozen=True)
class ModeEntry:
    """One mode as the hub shows it to one learner."""

    mode: Mode
    url: str
    state: ModeState | None = None  # None: the mode keeps no state

    @property
    def minutes(self) -> int:
        if self.state is not None and self.state.minutes:
            return self.state.minutes
        return self.mode.minutes


def installed_modes() -> list[Mode]:
    """The modes whose app is installed and routed, in the hub's order."""
    listed = []
    for mode in MODES:
        if not apps.is_installed(mode.app):
            continue
        try:
            mode.url  # noqa: B018 (an installed app whose URLs are not included yet)
        except NoReverseMatch:
            continue
        listed.append(mode)
    return listed


def entries_for(learner: Learner) -> list[ModeEntry]:
    entries = []
    for mode in installed_modes():
        reader = mode.state_reader()
        entries.append(ModeEntry(mode, mode.url, reader(learner) if reader else None))
    return entries
