"""Reviewing cards: fsrs schedules each answer, the queue follows, and bad input is refused."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from fsrs import Rating

from flashcards.models import Card, Review
from flashcards.scheduling import next_card, queue_of, review
from learners.identity import Learner

GOOD, AGAIN, EASY = "3", "1", "4"


def rate(client: Client, card: Card, rating: str, **headers):
    return client.post(f"/flashcards/{card.pk}/rate", {"rating": rating}, headers=headers)


def test_a_new_learner_sees_every_card_as_new_and_none_due(client, deck) -> None:
    html = client.get("/flashcards/").content.decode()
    assert f"0 due · {len(deck)} new · {len(deck)} cards in the deck" in html
    assert deck[0].front in html and "Show the answer" in html


def test_rating_a_card_without_javascript_schedules_it_and_says_when_it_returns(
    client, deck
) -> None:
    response = rate(client, deck[0], GOOD)
    assert response.status_code == 302 and response["Location"] == "/flashcards/"
    kept = Review.objects.get()
    assert kept.card == deck[0] and kept.last_rating == 3 and kept.due > timezone.now()
    html = client.get("/flashcards/").content.decode()
    assert "Good: you will see that card again in" in html
    assert deck[1].front in html  # the rated card left the queue


def test_rating_with_htmx_answers_with_the_next_card_only(client, deck) -> None:
    response = rate(client, deck[0], EASY, HX_Request="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section class="deck" id="deck"')
    assert "Easy: you will see that card again in" in html and deck[1].front in html
    assert "HX-Request" in response["Vary"]


def test_again_brings_a_card_back_sooner_than_easy(deck) -> None:
    now = timezone.now()
    again = review(Learner(visitor="v1"), deck[0], Rating(1), now)
    easy = review(Learner(visitor="v2"), deck[0], Rating(4), now)
    assert now < again.due < easy.due


def test_a_card_comes_back_first_once_it_is_due(deck) -> None:
    learner, now = Learner(visitor="v1"), timezone.now()
    scheduled = review(learner, deck[5], Rating.Again, now)
    assert next_card(learner, now) == deck[0]
    later = scheduled.due + timedelta(seconds=1)
    assert next_card(learner, later) == deck[5]
    assert queue_of(learner, later).due == 1


def test_reviewing_again_updates_the_one_schedule_a_learner_has_per_card(deck) -> None:
    learner, now = Learner(visitor="v1"), timezone.now()
    review(learner, deck[0], Rating(3), now)
    second = review(learner, deck[0], Rating(3), now + timedelta(days=3))
    assert Review.objects.count() == 1 and second.reviews == 2


@pytest.mark.parametrize("rating", ["", "0", "5", "good", "3.5"])
def test_a_rating_that_is_not_1_to_4_is_a_400_and_records_nothing(client, deck, rating) -> None:
    response = rate(client, deck[0], rating)
    assert response.status_code == 400
    assert "Rate the card 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)." in response.content.decode()
    assert not Review.objects.exists()


def test_rating_a_card_that_does_not_exist_is_a_404(client, deck) -> None:
    assert client.post("/flashcards/999999/rate", {"rating": GOOD}).status_code == 404
    assert not Review.objects.exists()


def test_the_deck_answers_head_and_refuses_other_methods(client, deck) -> None:
    assert client.head("/flashcards/").status_code == 200
    assert client.post("/flashcards/").status_code == 405
    assert client.get(f"/flashcards/{deck[0].pk}/rate").status_code == 405


def test_the_deck_is_never_kept_by_a_browser_or_a_proxy(client, deck) -> None:
    cache_control = client.get("/flashcards/")["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_another_learner_never_sees_my_schedule(deck) -> None:
    mine, theirs = Client(), Client()
    rate(mine, deck[0], GOOD)
    html = theirs.get("/flashcards/").content.decode()
    assert f"0 due · {len(deck)} new" in html and "you will see that card again" not in html
