"""Flashcards: a fact on each card, linked to the lesson section that teaches it, and each
learner's place in reviewing it (scheduled by fsrs: flashcards.scheduling)."""

from django.db import models

from learners.models import LearnerOwned, one_per_learner
from lessons.models import Lesson


class Topic(models.TextChoices):
    """What a card is about; the cheat sheet groups its rows by these, in this order."""

    SETTINGS = "settings", "Settings"
    RETURNS = "returns", "Return values that differ"
    ROUND_TRIPS = "round-trips", "Round trips"
    LIMITS = "limits", "Limits"
    TOOLS = "tools", "Which tool caches what"
    CORRECTNESS = "correctness", "Keeping data correct"
    OPERATIONS = "operations", "Running cache servers"


class Card(models.Model):
    content_release = True  # loadcontent merges each release into it (ops.fixtures)

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="cards")
    section = models.SlugField(
        max_length=120, blank=True, help_text="The heading's anchor in the lesson (its #id)."
    )
    topic = models.CharField(max_length=12, choices=Topic.choices)
    front = models.TextField(help_text="The question. Markdown-free: plain text, `code` allowed.")
    back = models.TextField(help_text="The answer, one or two sentences.")
    on_cheat_sheet = models.BooleanField(
        default=False, help_text="Also a row of the cheat sheet (front as the label)."
    )
    sheet_label = models.CharField(
        max_length=120, blank=True, help_text="The cheat sheet's short label; the front if blank."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["lesson__order", "order", "pk"]

    def __str__(self) -> str:
        return self.front[:80]

    def lesson_url(self) -> str:
        return self.lesson.section_url(self.section)

    @property
    def label(self) -> str:
        return self.sheet_label or self.front


class Review(LearnerOwned):
    """One learner's schedule for one card: fsrs's card state, and when it is due again.
    Owned through learners.identity: a signed-in learner's `user`, or a visitor's id."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reviews")
    due = models.DateTimeField(db_index=True)
    state = models.JSONField(help_text="fsrs.Card.to_dict()")
    last_rating = models.PositiveSmallIntegerField()
    reviews = models.PositiveIntegerField(default=1)
    reviewed_at = models.DateTimeField()

    class Meta:
        constraints = one_per_learner("review", "card")

    def __str__(self) -> str:
        return f"{self.card} (due {self.due:%Y-%m-%d %H:%M})"
