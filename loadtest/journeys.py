"""What a learner does on Cache Lab, over HTTP only: read lessons (and mark them read), take a
quiz (start, a hint now and then, answer, results), run sandbox code.

Shared by the cluster tests (a requests.Session) and `make load` (Locust's HttpSession, which
is a requests.Session that also takes `name=` to group URLs per endpoint). It relies only on
the site's URLs (/lessons/<slug>/, /lessons/<slug>/read/, /quiz/<slug>/start/,
/quiz/attempts/<pk>/..., POST /sandbox/api/run) and on the forms and links each page offers,
as a browser would, so the apps' internals can change under it.
"""

import random
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

LESSON = re.compile(r"^/lessons/(?P<slug>[-\w]+)/$")
QUIZ = re.compile(r"^/quiz/(?P<slug>[-\w]+)/$")
ATTEMPT = re.compile(r"^/quiz/attempts/(?P<pk>\d+)/")
FEEDBACK = re.compile(r"^/quiz/attempts/(?P<pk>\d+)/questions/(?P<question>\d+)/$")
SANDBOX_API = "/sandbox/api/run"
REMOTE_BACKENDS = ["redis", "django-redis", "memcached"]  # shared by every app host


class JourneyError(AssertionError):
    """The site did not answer the way a learner needs (wrong status, missing form)."""


@dataclass
class Form:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)


class PageParser(HTMLParser):
    """Links and forms of a page: what a learner can follow or submit."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "a" and attributes.get("href", "").startswith("/"):
            self.links.append(attributes["href"])
        elif tag == "form" and attributes.get("method", "").lower() == "post":
            self.forms.append(Form(attributes.get("action", "")))
        elif tag == "input" and self.forms and attributes.get("name"):
            self.forms[-1].fields.setdefault(attributes["name"], []).append(
                attributes.get("value", "")
            )


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


@dataclass
class Question:
    attempt: int
    answer_url: str
    choices: list[str]
    hint_url: str | None


@dataclass
class Answer:
    """An answer the site said it recorded: the answer POST redirected to its feedback."""

    attempt: int
    question: int
    feedback_url: str


class Learner:
    """One learner (one cookie jar) driving the site through `http`."""

    def __init__(self, http: Any, base_url: str = "", *, named: bool = False) -> None:
        self.http = http
        self.base_url = base_url
        self.named = named  # Locust: group requests under an endpoint name
        self.recorded: list[Answer] = []

    # --- HTTP ---------------------------------------------------------------------------

    def request(self, method: str, path: str, name: str, **kwargs: Any) -> Any:
        if self.named:
            kwargs["name"] = name
        headers = kwargs.pop("headers", {})
        token = self.http.cookies.get("csrftoken")
        if method == "POST" and token:
            headers["X-CSRFToken"] = token
        return self.http.request(
            method, self.base_url + path, headers=headers, timeout=10, **kwargs
        )

    def page(self, path: str, name: str) -> PageParser:
        response = self.request("GET", path, name)
        expect(response, 200, path)
        return parse(response.text)

    # --- lessons ------------------------------------------------------------------------

    def lesson_slugs(self) -> list[str]:
        links = self.page("/lessons/", "/lessons/").links
        return sorted({match["slug"] for link in links if (match := LESSON.match(link))})

    def read_lesson(self, slug: str) -> None:
        self.page(f"/lessons/{slug}/", "/lessons/[slug]/")

    def mark_read(self, slug: str) -> bool:
        """Press "mark as read" at the end of the lesson (its own page without JavaScript).
        False when the page offers no button: the learner has read it already."""
        forms = self.page(f"/lessons/{slug}/read/", "/lessons/[slug]/read/").forms
        action = next((form.action for form in forms if form.action.endswith("/read/")), None)
        if action is None:
            return False
        response = self.request(
            "POST", action, "/lessons/[slug]/read/ (mark)", allow_redirects=False
        )
        expect(response, 302, "mark a lesson read")
        return True

    # --- quiz ---------------------------------------------------------------------------

    def quiz_slugs(self) -> list[str]:
        """The quizzes the index links to: pages that offer a form to start them."""
        links = self.page("/quiz/", "/quiz/").links
        candidates = sorted({match["slug"] for link in links if (match := QUIZ.match(link))})
        return [slug for slug in candidates if self.start_form(slug) is not None]

    def start_form(self, slug: str) -> str | None:
        forms = self.page(f"/quiz/{slug}/", "/quiz/[slug]/").forms
        return next((form.action for form in forms if form.action.endswith("/start/")), None)

    def start_quiz(self, slug: str) -> int:
        action = self.start_form(slug)  # the quiz page also sets the CSRF cookie
        if action is None:
            raise JourneyError(f"The quiz {slug} offers no form to start it.")
        response = self.request("POST", action, "/quiz/[slug]/start/", allow_redirects=False)
        expect(response, 302, "start the quiz")
        match = ATTEMPT.match(location(response))
        if match is None:
            raise JourneyError(f"Starting {slug} led to {location(response)}, not an attempt.")
        return int(match["pk"])

    def question(self, attempt: int) -> Question | None:
        """The attempt's next question (the attempt's URL shows it or redirects to it); None
        once every question is answered (it redirects to the results)."""
        response = self.request(
            "GET", f"/quiz/attempts/{attempt}/", "/quiz/attempts/[pk]/", allow_redirects=False
        )
        if response.status_code == 302:
            target = location(response)
            if "/results/" in target:
                return None
            response = self.request("GET", target, "/quiz/attempts/[pk]/questions/[id]/")
        expect(response, 200, f"attempt {attempt}")
        forms = parse(response.text).forms
        answer = next((form for form in forms if form.action.endswith("/answer/")), None)
        if answer is None or not answer.fields.get("choice"):
            raise JourneyError(f"Attempt {attempt} shows no answer form.")
        hint = next((form.action for form in forms if form.action.endswith("/hint/")), None)
        return Question(attempt, answer.action, answer.fields["choice"], hint)

    def take_hint(self, question: Question) -> None:
        if question.hint_url is None:
            return
        response = self.request(
            "POST",
            question.hint_url,
            "/quiz/attempts/[pk]/questions/[id]/hint/",
            allow_redirects=False,
        )
        expect(response, 302, "take a hint")

    def answer(self, question: Question, choice: str) -> Answer:
        response = self.request(
            "POST",
            question.answer_url,
            "/quiz/attempts/[pk]/questions/[id]/answer/",
            data={"choice": choice},
            allow_redirects=False,
        )
        expect(response, 302, "answer a question")
        match = FEEDBACK.match(location(response))
        if match is None:
            raise JourneyError(f"An answer led to {location(response)}, not its feedback.")
        recorded = Answer(question.attempt, int(match["question"]), match.group(0))
        self.recorded.append(recorded)  # the redirect to its feedback says it was recorded
        self.page(recorded.feedback_url, "/quiz/attempts/[pk]/questions/[id]/")
        return recorded

    def is_recorded(self, answer: Answer) -> bool:
        """The site still has the answer: the question's page shows its feedback, with no form
        to answer it (an unanswered question offers the form, or sends the learner to it)."""
        response = self.request(
            "GET", answer.feedback_url, "/quiz/attempts/[pk]/questions/[id]/", allow_redirects=False
        )
        if response.status_code != 200:
            return False
        return not any(form.action.endswith("/answer/") for form in parse(response.text).forms)

    def results(self, attempt: int) -> None:
        self.page(f"/quiz/attempts/{attempt}/results/", "/quiz/attempts/[pk]/results/")

    def take_quiz(self, slug: str, hint_chance: float = 0.3, think=lambda: None) -> int:
        attempt = self.start_quiz(slug)
        while (question := self.question(attempt)) is not None:
            think()
            if random.random() < hint_chance:
                self.take_hint(question)
                think()
            self.answer(question, random.choice(question.choices))
        self.results(attempt)
        return attempt

    # --- sandbox ------------------------------------------------------------------------

    def run_sandbox(
        self,
        code: str,
        backends: list[str] | None = None,
        server: str = "A",
        *,
        inspect: bool = False,
    ) -> dict[str, Any]:
        """POST the code to the sandbox's JSON API; with inspect, each key says where it is
        stored and what the server holds."""
        body = {
            "code": code,
            "backends": backends or REMOTE_BACKENDS,
            "server": server,
            "inspect": inspect,
        }
        response = self.request("POST", SANDBOX_API, SANDBOX_API, json=body)
        expect(response, 200, "run sandbox code")
        return response.json()


def location(response: Any) -> str:
    return urlsplit(response.headers.get("Location", "")).path


def expect(response: Any, status: int, what: str) -> None:
    if response.status_code != status:
        raise JourneyError(
            f"{what}: {response.request.method} {response.url} answered "
            f"{response.status_code}, expected {status}."
        )
