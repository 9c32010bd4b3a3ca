import itertools
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils.html import escape

from learners.identity import VISITOR_SESSION_KEY
from quiz.attempts import duration_text
from quiz.models import Attempt, HintUse
from tests.quiz.conftest import answer, pick, start, step_url, take

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_the_quiz_index_lists_every_quiz_with_its_question_count(client, content) -> None:
    html = client.get("/quiz/").content.decode()
    for slug, title, count in [
        ("practice", "Practice: cache backends", 5),
        ("performance", "Performance quiz", 5),
        ("test", "Test this pattern", 11),
    ]:
        assert f'href="/quiz/{slug}/"' in html
        assert title in html
        assert f"{count} questions" in html
    assert "not taken yet" in html
    places = [html.index(f'href="/quiz/{slug}/"') for slug in ("practice", "performance", "test")]
    assert places == sorted(places)


def test_the_quiz_index_shows_this_learners_best_score(client, content) -> None:
    take(client, "practice", [True, True, False, False, False])
    take(client, "practice", [True, True, True, True, False])
    take(client, "practice", [False] * 5)
    html = client.get("/quiz/").content.decode()
    assert "your best score: <strong>4/5</strong>" in html


def test_another_learners_scores_are_not_this_learners_best(client, content) -> None:
    take(client.__class__(), "practice", [True] * 5)
    assert "your best score" not in client.get("/quiz/").content.decode()


def test_viewing_quizzes_does_not_create_a_session(client, content) -> None:
    client.get("/quiz/")
    client.get("/quiz/practice/")
    assert "sessionid" not in client.cookies


def test_starting_a_quiz_keys_the_attempt_to_a_visitor_id_that_is_not_the_session_key(
    client, content
) -> None:
    attempt = start(client, "practice")
    assert attempt.user is None
    assert attempt.visitor == client.session[VISITOR_SESSION_KEY]
    assert attempt.visitor != client.cookies["sessionid"].value
    assert attempt.is_first


def test_a_logged_in_learners_attempt_belongs_to_the_user(client, content) -> None:
    user = get_user_model().objects.create_user("ada", password="x")
    client.force_login(user)
    attempt = start(client, "practice")
    assert attempt.user == user
    assert attempt.visitor == ""


def test_an_unknown_quiz_is_a_404(client, content) -> None:
    assert client.get("/quiz/nope/").status_code == 404
    assert client.post("/quiz/nope/start/").status_code == 404


def test_the_first_question_page_shows_one_question_with_its_options(client, practice) -> None:
    attempt = start(client, "practice")
    html = client.get(step_url(attempt)).content.decode()
    first = practice.questions.get(order=1)
    assert "Question 1 of 5" in html
    assert escape(first.prompt) in html
    assert html.count('type="radio" name="choice"') == 4
    for choice in first.choices.all():
        assert f'value="{choice.pk}"' in html
    assert html.count("<form") == 2  # the answer and the hint; both post without JavaScript
    assert f'action="/quiz/attempts/{attempt.pk}/questions/{first.pk}/answer/"' in html


def test_answering_without_javascript_redirects_to_the_feedback(client, practice) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    response = answer(client, attempt, first, pick(first, correct=False).pk)
    feedback = f"/quiz/attempts/{attempt.pk}/questions/{first.pk}/"
    assert response.status_code == 302
    assert response["Location"] == feedback
    html = client.get(feedback).content.decode()
    assert "Incorrect." in html
    assert 'role="status" aria-live="polite">Incorrect.' in html


def test_feedback_shows_the_worked_solution_and_why_every_option(client, practice) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    answer(client, attempt, first, pick(first, correct=True).pk)
    html = client.get(f"/quiz/attempts/{attempt.pk}/questions/{first.pk}/").content.decode()
    assert "Correct." in html
    for choice in first.choices.all():
        assert escape(choice.why) in html
    for step in first.steps.all():
        assert step.title in html
    solution = first.solution
    for text in [solution.final_answer, solution.quick_check, solution.hint, *solution.mistakes()]:
        assert escape(text) in html
    assert "100% of learners chose this on their first attempt (1)" in html
    second = practice.questions.get(order=2)
    assert f'href="/quiz/attempts/{attempt.pk}/questions/{second.pk}/"' in html  # next question


def test_the_final_answer_names_the_letter_the_correct_option_has_on_this_page(
    client, practice
) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    answer(client, attempt, first, pick(first, correct=True).pk)
    html = client.get(f"/quiz/attempts/{attempt.pk}/questions/{first.pk}/").content.decode()
    shown = re.findall(r'<span class="quiz-letter">([A-D])\.</span> ([^<\n]+)', html)
    letter = next(
        letter for letter, text in shown if text.strip() == "LocMemCache (local memory cache)"
    )
    assert f"→ option {letter}</li>" in html


def test_an_htmx_answer_gets_the_feedback_partial_in_place_of_the_question_at_its_url(
    client, practice
) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    response = answer(client, attempt, first, pick(first, correct=True).pk, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<section id="quiz-step"')
    assert '<div id="quiz-status" hx-swap-oob="innerHTML">Correct.' in html
    assert response["HX-Replace-Url"] == f"/quiz/attempts/{attempt.pk}/questions/{first.pk}/"
    assert "HX-Request" in response["Vary"]


def test_the_next_question_comes_as_a_partial_for_htmx_and_a_page_otherwise(client, practice):
    attempt = start(client, "practice")
    url = step_url(attempt)
    partial = client.get(url, headers=HTMX)
    full = client.get(url)
    restored = client.get(url, headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<section id="quiz-step"')
    assert "<html" in full.content.decode() and 'id="quiz-step"' in full.content.decode()
    assert "<html" in restored.content.decode()  # htmx restoring history wants the page
    assert "HX-Request" in partial["Vary"]


def test_the_attempt_url_sends_the_learner_to_the_next_unanswered_question(client, practice):
    attempt = start(client, "practice")
    first, second = practice.questions.order_by("order")[:2]
    answer(client, attempt, first, pick(first, correct=True).pk)
    response = client.get(f"/quiz/attempts/{attempt.pk}/")
    assert response["Location"] == f"/quiz/attempts/{attempt.pk}/questions/{second.pk}/"
    htmx = client.get(f"/quiz/attempts/{attempt.pk}/", headers=HTMX)
    assert htmx["HX-Redirect"] == f"/quiz/attempts/{attempt.pk}/questions/{second.pk}/"


def test_the_hint_is_revealed_and_recorded_without_javascript(client, practice) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    response = client.post(f"/quiz/attempts/{attempt.pk}/questions/{first.pk}/hint/")
    assert response.status_code == 302
    assert response["Location"] == f"/quiz/attempts/{attempt.pk}/questions/{first.pk}/#quiz-hint"
    assert HintUse.objects.filter(attempt=attempt, question=first).exists()
    html = client.get(step_url(attempt)).content.decode()
    assert f"<strong>Hint:</strong> {escape(first.solution.hint)}" in html


def test_the_hint_comes_as_a_partial_for_htmx(client, practice) -> None:
    attempt = start(client, "practice")
    first = practice.questions.get(order=1)
    url = f"/quiz/attempts/{attempt.pk}/questions/{first.pk}/hint/"
    response = client.post(url, headers=HTMX)
    assert (
        response.content.decode().strip()
        == f"<p><strong>Hint:</strong> {escape(first.solution.hint)}</p>"
    )
    client.post(url, headers=HTMX)
    assert HintUse.objects.filter(attempt=attempt).count() == 1


def test_the_last_answer_finishes_the_attempt_and_links_to_the_results(client, practice) -> None:
    attempt = take(client, "practice", [True, True, True, True, False])
    assert attempt.finished_at is not None
    last = practice.questions.get(order=5)
    html = client.get(f"/quiz/attempts/{attempt.pk}/questions/{last.pk}/").content.decode()
    assert f'href="/quiz/attempts/{attempt.pk}/results/"' in html
    response = client.get(f"/quiz/attempts/{attempt.pk}/")
    assert response["Location"] == f"/quiz/attempts/{attempt.pk}/results/"


def test_the_results_show_score_breakdown_time_hints_and_a_review(client, practice) -> None:
    attempt = start(client, "practice")
    questions = list(practice.questions.order_by("order"))
    client.post(f"/quiz/attempts/{attempt.pk}/questions/{questions[0].pk}/hint/")
    for question, right in zip(questions, [True, False, True, True, True], strict=True):
        answer(client, attempt, question, pick(question, correct=right).pk)
    html = client.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()
    assert "Score: <strong>4/5</strong> (80%)" in html
    assert '<th scope="row">Easy</th><td>1/2</td>' in html
    assert '<th scope="row">Medium</th><td>2/2</td>' in html
    assert '<th scope="row">Hard</th><td>1/1</td>' in html
    attempt.refresh_from_db()  # the time taken is the clock's: read it from what was stored
    taken = duration_text(attempt.finished_at - attempt.started_at)
    assert f"<dt>Time taken</dt><dd>{taken}</dd>" in html
    assert "<dt>Hints used</dt><dd>1</dd>" in html
    assert html.count("Worked solution") == 5
    assert "Question 2: incorrect" in html and "Question 1: correct" in html


def test_results_of_an_unfinished_attempt_send_the_learner_back_to_it(client, content) -> None:
    attempt = start(client, "practice")
    response = client.get(f"/quiz/attempts/{attempt.pk}/results/")
    assert response["Location"] == step_url(attempt)


def test_a_retake_is_a_new_attempt_and_past_attempts_stay_listed(client, content) -> None:
    first = take(client, "practice", [True] * 5)
    second = start(client, "practice")
    assert second.pk != first.pk and not second.is_first
    html = client.get("/quiz/practice/").content.decode()
    assert f'href="/quiz/attempts/{first.pk}/results/"' in html
    assert f'href="/quiz/attempts/{second.pk}/"' in html
    assert "Retake the quiz" in html
    assert Attempt.objects.count() == 2


@pytest.mark.parametrize(
    ("slug", "count"), [("practice", 5), ("performance", 5), ("test", 11), ("pages", 3)]
)
def test_every_quiz_can_be_taken_to_a_full_score_without_javascript(client, content, slug, count):
    attempt = take(client, slug, [True] * count)
    html = client.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()
    assert f"Score: <strong>{count}/{count}</strong> (100%)" in html


def test_the_quiz_pages_have_headings_in_order_and_labelled_options(client, practice) -> None:
    attempt = start(client, "practice")
    html = client.get(step_url(attempt)).content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    for input_id in re.findall(r'<input type="radio" name="choice" id="([^"]+)"', html):
        assert f'<label for="{input_id}">' in html


def shown_order(html: str) -> list[str]:
    return re.findall(r'id="choice-(\d+)"', html)


def test_the_options_keep_their_shuffled_order_within_an_attempt(client, practice) -> None:
    attempt = start(client, "practice")
    step = step_url(attempt)
    order = shown_order(client.get(step).content.decode())
    assert shown_order(client.get(step, headers=HTMX).content.decode()) == order
    first = practice.questions.get(order=1)
    answer(client, attempt, first, order[0])
    html = client.get(f"/quiz/attempts/{attempt.pk}/questions/{first.pk}/").content.decode()
    texts = re.findall(r'<span class="quiz-letter">([A-D])\.</span> ([^<\n]+)', html)
    by_id = {str(c.pk): c.text for c in first.choices.all()}
    assert [(letter, text.strip()) for letter, text in texts] == [
        (letter, by_id[pk]) for letter, pk in zip("ABCD", order, strict=True)
    ]
    assert "You chose option A;" in html
