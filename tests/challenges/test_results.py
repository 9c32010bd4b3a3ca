"""Results are kept per learner (latest and best), never shown to another learner, moved at
sign-in like the rest of a visitor's work, and listed on /progress/."""

import pytest
from django.test import Client

from challenges.models import Result
from challenges.results import better
from tests.accounts.conftest import log_in
from tests.challenges.conftest import actuals, challenge, check, first_answers

pytestmark = pytest.mark.django_db

SLUG = "decr-below-zero"


def test_a_run_keeps_the_latest_score_and_the_best(challenges, client) -> None:
    first = check(client, SLUG, first_answers(challenge(SLUG)))  # "-3" everywhere: 3 of 4
    check(client, SLUG, actuals(first))  # 4 of 4
    check(client, SLUG, {"q1": {name: "0" for name in actuals(first)["q1"]}})  # 1 of 4
    row = Result.objects.get()
    assert (row.score, row.out_of, row.best_score, row.best_out_of) == (1, 4, 4, 4)
    assert row.runs == 3 and row.visitor and row.user is None


def test_a_better_share_wins_and_a_tie_goes_to_more_graded_predictions() -> None:
    assert better(3, 4, 2, 4) and not better(2, 4, 3, 4)
    assert better(4, 4, 2, 2) and not better(2, 2, 4, 4)
    assert not better(0, 0, 0, 4) and better(1, 2, 0, 0)


def test_another_learner_neither_sees_nor_changes_my_result(challenges, client) -> None:
    check(client, SLUG, first_answers(challenge(SLUG)))
    other = Client()
    assert "Not tried yet" in other.get("/challenges/").content.decode()
    check(other, SLUG, first_answers(challenge(SLUG)))
    assert Result.objects.count() == 2
    assert {row.runs for row in Result.objects.all()} == {1}


def test_a_visitors_results_move_to_the_account_at_sign_in(challenges, client, ada) -> None:
    check(client, SLUG, first_answers(challenge(SLUG)))
    assert log_in(client, "ada").status_code == 302
    row = Result.objects.get()
    assert row.user == ada and row.visitor == ""
    page = client.get("/progress/").content.decode()
    assert "Predict, then run" in page and "3 of 4" in page


def test_the_accounts_own_result_is_kept_when_both_tried_the_challenge(
    challenges, client, ada
) -> None:
    log_in(client, "ada")
    first = check(client, SLUG, first_answers(challenge(SLUG)))
    check(client, SLUG, actuals(first))
    client.post("/accounts/logout/")
    check(client, SLUG, {"q1": {name: "0" for name in actuals(first)["q1"]}})
    log_in(client, "ada")
    row = Result.objects.get()
    assert row.user == ada and (row.score, row.best_score, row.runs) == (4, 4, 2)


def test_progress_lists_every_challenge_and_the_learners_scores(challenges, client) -> None:
    check(client, SLUG, first_answers(challenge(SLUG)))
    page = client.get("/progress/").content.decode()
    assert page.count('href="/challenges/') == len(challenges)
    assert page.count("Not tried yet") == len(challenges) - 1
