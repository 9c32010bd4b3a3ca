"""/progress/: where the learner stands, for anonymous learners too, and after signing in."""

import re
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from flashcards.models import Card, Review
from lessons.models import Lesson
from quiz.models import Attempt
from spotbug.models import Snippet
from tests.accounts.conftest import PASSWORD, log_in
from tests.quiz.conftest import answer, pick, start, take

pytestmark = pytest.mark.django_db

ONE_WRONG = [True, False, True, True, True]


def squeeze(html: str) -> str:
    """Text without tags, entities resolved, white space squeezed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def text_of(response) -> str:
    """The page's main text, for reading figures."""
    html = response.content.decode()
    return squeeze(html[html.index("<main") : html.index("</main>")])


def row_of(response, title: str) -> str:
    """The text of the table row whose heading starts with `title`."""
    rows = [squeeze(row) for row in re.findall(r"<tr>(.*?)</tr>", response.content.decode(), re.S)]
    return next(row for row in rows if row.startswith(title))


def sign_up(client: Client, username: str) -> None:
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD}
    assert client.post("/accounts/signup/", data).status_code == 302


def test_a_new_visitor_sees_empty_progress_and_an_invitation_to_sign_up(client, course) -> None:
    response = client.get("/progress/")
    text = text_of(response)

    assert response.status_code == 200
    assert "Keep your progress" in text and 'href="/accounts/signup/"' in response.content.decode()
    assert f"0 of {Lesson.objects.count()} lessons read" in text
    assert "Questions you answer wrongly gather here" in text
    assert "sessionid" not in response.cookies  # looking makes no session


def test_an_anonymous_learner_sees_their_sessions_work(client, course) -> None:
    take(client, "practice", ONE_WRONG)
    client.post("/lessons/redis/read/")

    response = client.get("/progress/")

    assert "Keep your progress" in text_of(response)
    assert f"1 of {Lesson.objects.count()} lessons read · 1 question to review" in text_of(response)
    practice = row_of(response, "Practice: cache backends")
    assert re.fullmatch(r"Practice: cache backends 1 4/5 \(80%\) 4/5 \(80%\) \d.* s 0", practice)
    assert row_of(response, "Redis:").startswith("Redis: Django's RedisCache and django-redis Read")
    assert "Not yet" in row_of(response, "Memcached")


def test_signing_up_keeps_finished_and_unfinished_attempts_and_readings(client, course) -> None:
    finished = take(client, "practice", ONE_WRONG)
    unfinished = start(client, "performance")
    first = unfinished.quiz.questions.get(order=1)
    answer(client, unfinished, first, pick(first, correct=True).pk)
    client.post("/lessons/redis/read/")

    sign_up(client, "grace")
    response = client.get("/progress/")
    text = text_of(response)

    assert "Keep your progress" not in text
    assert f"1 of {Lesson.objects.count()} lessons read · 1 question to review" in text
    assert row_of(response, "Performance quiz").startswith(
        "Performance quiz Continue your attempt 1 (0 finished)"
    )
    assert f'href="/quiz/attempts/{unfinished.pk}/"' in response.content.decode()
    assert Attempt.objects.filter(user__username="grace").count() == 2
    assert finished.pk in Attempt.objects.filter(user__username="grace").values_list(
        "pk", flat=True
    )


def test_logging_in_adds_the_visitors_work_to_the_accounts_own(ada, course) -> None:
    laptop = Client()
    laptop.force_login(ada)
    take(laptop, "practice", [True] * 5)
    laptop.post("/lessons/redis/read/")
    phone = Client()
    take(phone, "practice", ONE_WRONG)
    phone.post("/lessons/redis/read/")
    phone.post("/lessons/memcached/read/")

    assert log_in(phone, "ada").status_code == 302
    response = phone.get("/progress/")

    assert f"2 of {Lesson.objects.count()} lessons read · 1 question to review" in text_of(response)
    practice = row_of(response, "Practice: cache backends")
    assert practice.startswith("Practice: cache backends 2 5/5 (100%) 4/5 (80%)")
    assert text_of(laptop.get("/progress/")) == text_of(response)


def test_another_account_sees_none_of_adas_work(ada, bob, course) -> None:
    as_ada = Client()
    as_ada.force_login(ada)
    take(as_ada, "practice", ONE_WRONG)
    as_ada.post("/lessons/redis/read/")
    as_bob = Client()
    as_bob.force_login(bob)

    response = as_bob.get("/progress/")

    assert f"0 of {Lesson.objects.count()} lessons read." in text_of(response)
    assert row_of(response, "Practice: cache backends") == (
        "Practice: cache backends 0 \u2013 \u2013 \u2013 0"
    )


def test_review_what_you_missed_starts_a_quiz_of_the_missed_question(client, course) -> None:
    attempt = take(client, "practice", ONE_WRONG)
    missed = attempt.quiz.questions.get(order=2)
    html = client.get("/progress/").content.decode()
    form = html[html.index('<form method="post" action="/quiz/review/"') :]
    assert 'name="csrfmiddlewaretoken"' in form[: form.index("</form>")]

    review = client.post("/quiz/review/")
    step = client.get(review["Location"], follow=True)

    assert step.status_code == 200
    assert missed.prompt[:40] in step.content.decode()


def test_progress_shows_the_flashcards_due_and_the_bugs_found(client, course) -> None:
    card, snippet = Card.objects.first(), Snippet.objects.first()
    client.post(f"/flashcards/{card.pk}/rate", {"rating": "1"})
    client.post(f"/spot-the-bug/{snippet.pk}/answer", {"line": snippet.faulty_line})
    cards = Card.objects.count()
    text = text_of(client.get("/progress/"))
    assert f"in the deck, {cards - 1} not seen yet; the next is due on" in text
    assert f": 1 of {Snippet.objects.count()} bugs found, 1 on the first try." in text
    Review.objects.update(due=timezone.now())
    assert f"Flashcards : 1 card due now , {cards} in the deck" in text_of(client.get("/progress/"))
