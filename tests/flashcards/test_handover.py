"""A visitor's card schedules follow them into their account at sign-in."""

from django.utils import timezone
from fsrs import Rating

from flashcards.models import Review
from flashcards.scheduling import review
from learners.identity import Learner

PASSWORD = "correct horse battery 42"


def test_a_visitors_reviews_move_to_the_account_they_sign_in_to(client, deck, django_user_model):
    ada = django_user_model.objects.create_user("ada", "ada@example.com", PASSWORD)
    review(Learner(user_id=ada.pk), deck[1], Rating(4), timezone.now())  # from another device
    client.post(f"/flashcards/{deck[0].pk}/rate", {"rating": "3"})
    client.post(f"/flashcards/{deck[1].pk}/rate", {"rating": "1"})
    client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    kept = {review.card_id: review for review in Review.objects.all()}
    assert set(kept) == {deck[0].pk, deck[1].pk}
    assert all(review.user_id == ada.pk and review.visitor == "" for review in kept.values())
    assert kept[deck[1].pk].last_rating == 4  # the account's own schedule is kept
