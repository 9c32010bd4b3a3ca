"""Learners kept busy in threads while a drill stops a part of the cluster, and what they saw."""

import random
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from loadtest.journeys import Answer, JourneyError, Learner

DATABASE_DOWN_PAGE = "Cache Lab is back in a moment"


@dataclass
class Seen:
    at: float
    method: str
    path: str
    status: int
    body: str


@dataclass
class BusyLearner:
    learner: Learner
    seen: list[Seen] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # errors other than an HTTP status
    attempt: int | None = None

    def record(self, response: requests.Response, *args, **kwargs) -> None:
        body = response.text[:2000] if response.status_code >= 500 else ""
        path = urlsplit(response.url).path
        self.seen.append(
            Seen(time.monotonic(), response.request.method, path, response.status_code, body)
        )

    def act(self, quiz_slugs: list[str], lesson_slugs: list[str]) -> None:
        choice = random.random()
        if choice < 0.35:
            self.learner.read_lesson(random.choice(lesson_slugs))
        elif choice < 0.5:  # well under the sandbox's 120 calls a minute per learner
            self.learner.run_sandbox(f"cache.set('k', {random.randint(1, 99)})\ncache.get('k')")
        else:
            self.answer_next(quiz_slugs)

    def answer_next(self, quiz_slugs: list[str]) -> None:
        if self.attempt is None:
            self.attempt = self.learner.start_quiz(random.choice(quiz_slugs))
        question = self.learner.question(self.attempt)
        if question is None:
            self.learner.results(self.attempt)
            self.attempt = None
            return
        self.learner.answer(question, random.choice(question.choices))


class BusyLearners:
    """`with BusyLearners(url, 3) as learners:` keeps 3 learners acting until the block ends."""

    def __init__(self, url: str, count: int = 3) -> None:
        self.url = url
        self.busy: list[BusyLearner] = []
        self.sessions: list[requests.Session] = []
        for _ in range(count):
            session = requests.Session()
            busy = BusyLearner(Learner(session, url))
            session.hooks["response"].append(busy.record)
            self.sessions.append(session)
            self.busy.append(busy)
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def __enter__(self) -> "BusyLearners":
        first = self.busy[0].learner
        quizzes, lessons = first.quiz_slugs(), first.lesson_slugs()
        for busy in self.busy:
            thread = threading.Thread(target=self.keep_busy, args=(busy, quizzes, lessons))
            thread.start()
            self.threads.append(thread)
        return self

    def keep_busy(self, busy: BusyLearner, quizzes: list[str], lessons: list[str]) -> None:
        while not self.stopping.is_set():
            try:
                busy.act(quizzes, lessons)
            except JourneyError:
                time.sleep(0.1)  # a refused step (a 503 while the database is down): go on
            except requests.RequestException as error:
                busy.problems.append(f"{type(error).__name__}: {error}")
                time.sleep(0.1)
            time.sleep(random.uniform(0.2, 0.5))  # a little think time

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)
        for session in self.sessions:
            session.close()

    # --- what they saw ------------------------------------------------------------------

    def seen(self) -> list[Seen]:
        return sorted((s for busy in self.busy for s in busy.seen), key=lambda s: s.at)

    def server_errors(self) -> list[str]:
        """Every 5xx except the database-down page."""
        return [
            f"{s.method} {s.path} {s.status}: {s.body[:300]}"
            for s in self.seen()
            if s.status >= 500 and not (s.status == 503 and DATABASE_DOWN_PAGE in s.body)
        ]

    def database_down_pages(self) -> list[Seen]:
        return [s for s in self.seen() if s.status == 503 and DATABASE_DOWN_PAGE in s.body]

    def between(self, start: float, end: float) -> list[Seen]:
        return [s for s in self.seen() if start <= s.at <= end]

    def problems(self) -> list[str]:
        return [problem for busy in self.busy for problem in busy.problems]

    def recorded(self) -> list[tuple[Learner, Answer]]:
        return [(busy.learner, answer) for busy in self.busy for answer in busy.learner.recorded]

    def lost_answers(self) -> list[Answer]:
        """Answers the site said it recorded that it no longer shows this learner: a lost
        answer, or a lost session (the attempt belongs to the session)."""
        return [answer for learner, answer in self.recorded() if not learner.is_recorded(answer)]
