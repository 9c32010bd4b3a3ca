"""Which cards a learner should see now, and what an answer does to a card's schedule.

The scheduling itself is the `fsrs` package's (Free Spaced Repetition Scheduler): a card the
learner rates is given its next due date by `fsrs.Scheduler.review_card`; this module only
keeps fsrs's card state per learner (flashcards.models.Review) and picks the queue.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import fsrs
from django.db import transaction
from django.db.models import QuerySet

from flashcards.models import Card, Review
from learners.identity import Learner, hand_over_rows

SCHEDULER = fsrs.Scheduler()
RATINGS = {rating.value: rating.name for rating in fsrs.Rating}  # 1: "Again" ... 4: "Easy"


class UnknownRating(ValueError):
    pass


@dataclass(frozen=True)
class Queue:
    due: int  # reviewed before and due now
    new: int  # never reviewed
    total: int  # cards in the deck
    next_due: datetime | None  # the earliest review after now, when nothing is due

    @property
    def size(self) -> int:
        return self.due + self.new


def rating_named(value: Any) -> fsrs.Rating:
    """The fsrs rating for a form's value: 1 Again, 2 Hard, 3 Good, 4 Easy."""
    try:
        return fsrs.Rating(int(value))
    except (TypeError, ValueError):
        raise UnknownRating("Rate the card 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy).") from None


def reviews_of(learner: Learner) -> QuerySet[Review]:
    return Review.objects.filter(learner.filter())


def due_cards(learner: Learner, now: datetime) -> QuerySet[Card]:
    """Cards to review now: those due first (most overdue first), then those never seen,
    in reading order."""
    mine = reviews_of(learner)
    due = Card.objects.filter(pk__in=mine.filter(due__lte=now).values("card"))
    new = Card.objects.exclude(pk__in=mine.values("card"))
    return (due | new).select_related("lesson").order_by("lesson__order", "order", "pk")


def next_card(learner: Learner, now: datetime) -> Card | None:
    overdue = (
        reviews_of(learner).filter(due__lte=now).select_related("card__lesson").order_by("due")
    )
    first = overdue.first()
    if first is not None:
        return first.card
    return due_cards(learner, now).first()


def queue_of(learner: Learner, now: datetime) -> Queue:
    mine = reviews_of(learner)
    total = Card.objects.count()
    seen = mine.count()
    due = mine.filter(due__lte=now).count()
    later = mine.filter(due__gt=now).order_by("due").values_list("due", flat=True).first()
    return Queue(due=due, new=total - seen, total=total, next_due=later)


def review(learner: Learner, card: Card, rating: fsrs.Rating, now: datetime) -> Review:
    """Record the learner's rating of `card` and schedule it again with fsrs."""
    with transaction.atomic():
        kept = reviews_of(learner).select_for_update().filter(card=card).first()
        state = fsrs.Card.from_dict(kept.state) if kept else fsrs.Card()
        scheduled, _log = SCHEDULER.review_card(state, rating, review_datetime=now)
        if kept is None:
            kept = Review(card=card, reviews=0, **learner.owner_fields())
        kept.state = scheduled.to_dict()
        kept.due = scheduled.due
        kept.last_rating = rating.value
        kept.reviews += 1
        kept.reviewed_at = now
        kept.save()
    return kept


def cards_due_count(learner: Learner, now: datetime) -> int:
    """For /progress/ and the hub: reviewed cards due now (new cards are not "due")."""
    if not learner.is_known:
        return 0
    return reviews_of(learner).filter(due__lte=now).count()


def hand_over_reviews(sender: Any, visitor: Learner, learner: Learner, **kwargs: Any) -> None:
    """At sign-in: the visitor's card schedules become the account's, except for cards the
    account has reviewed already (its own schedule is kept)."""
    hand_over_rows(Review, visitor, learner, unique_by="card")
