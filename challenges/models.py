"""Predict, then run: sandbox lines, the questions asked about them before they run, and each
learner's result.

A challenge holds no answers. Its questions say *what* to predict (a line's value, its round
trips, whether app server B sees a key, a key's TTL, its Memcached flags); the answers are
whatever the live backends do when the learner presses Run (challenges.grading).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from learners.models import LearnerOwned, one_per_learner
from sandbox.calls import CallError, parse_calls
from sandbox.catalogue import NAMES
from sandbox.models import names
from sandbox.wire.commands import MEMCACHED_FLAGS

CODE_HELP = (
    "Sandbox calls, one per line, run in this order on app server A in the learner's "
    "namespace (the sandbox's rules: literal arguments, its caps)."
)


class Kind(models.TextChoices):
    VALUE = "value", "What the line returns, or the error it raises"
    ROUND_TRIPS = "round-trips", "How many round trips the line takes"
    SEEN_ON_B = "seen-on-b", "Whether app server B sees the key after the lines ran on A"
    TTL = "ttl", "How many seconds the key has left to live after the lines ran"
    FLAGS = "flags", "The client flags Memcached stores with the key"


LINE_KINDS = {Kind.VALUE, Kind.ROUND_TRIPS}  # about one line; the others about one key


class Challenge(models.Model):
    content_release = True  # loadcontent merges each release into it (ops.fixtures)

    slug = models.SlugField(unique=True, help_text="Its address: /challenges/<slug>/.")
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    lesson = models.ForeignKey(
        "lessons.Lesson",
        on_delete=models.PROTECT,
        related_name="challenges",
        help_text="The lesson that teaches what this challenge tests.",
    )
    section = models.CharField(
        max_length=100, help_text="The id of the lesson heading that teaches it (its #anchor)."
    )
    intro = models.TextField(help_text="What to think about before running (plain text).")
    code = models.TextField(help_text=CODE_HELP)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("challenges:challenge", args=[self.slug])

    def read_url(self) -> str:
        return self.lesson.section_url(self.section)

    def clean(self) -> None:
        try:
            parse_calls(self.code)
        except CallError as error:
            raise ValidationError({"code": str(error)}) from None


class Question(models.Model):
    content_release = True  # loadcontent merges each release into it (ops.fixtures)

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=1, help_text="q1, q2... in the JSON API.")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    line = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The code line asked about (value, round trips)."
    )
    key = models.CharField(
        max_length=250, blank=True, help_text="The key asked about (server B, TTL, flags)."
    )
    backends = models.CharField(
        max_length=100,
        blank=True,
        help_text=f"Asked for these backends ({', '.join(NAMES)}), comma-separated; blank: all.",
    )
    choices = models.TextField(
        blank=True,
        help_text="Value questions: the answers offered, one a line, as the sandbox shows "
        "them: None, True, 2, 'hello', {'a': 1}, or 'raises ValueError'.",
    )
    tolerance = models.PositiveSmallIntegerField(
        default=2, help_text="TTL questions: a prediction this many seconds off still counts."
    )

    class Meta:
        ordering = ["challenge", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "order"], name="one_question_per_order")
        ]

    def __str__(self) -> str:
        return f"{self.challenge.slug} {self.name}: {self.get_kind_display()}"

    @property
    def name(self) -> str:
        return f"q{self.order}"

    def backend_names(self) -> list[str]:
        chosen = names(self.backends)
        return [name for name in NAMES if name in chosen] if chosen else list(NAMES)

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        unknown = [name for name in names(self.backends) if name not in NAMES]
        if unknown:
            errors["backends"] = f"Name backends from: {', '.join(NAMES)}."
        if self.kind == Kind.FLAGS and self.backend_names() != ["memcached"]:
            errors["backends"] = "Only Memcached stores flags: set backends to memcached."
        if self.kind == Kind.VALUE and not self.choice_list():
            errors["choices"] = "A value question offers its answers, one a line."
        errors.update(self.target_problems())
        if errors:
            raise ValidationError(errors)

    def target_problems(self) -> dict[str, str]:
        """The line or key asked about must be in the challenge's code."""
        try:
            calls = parse_calls(self.challenge.code)
        except (CallError, Challenge.DoesNotExist):
            return {}
        if self.kind in LINE_KINDS:
            if self.line not in {call.line for call in calls}:
                return {"line": "Name a line of the challenge's code that holds a call."}
        elif self.key not in {key for call in calls for key in call.named_keys()}:
            return {"key": "Name a key the challenge's code uses."}
        return {}


FLAG_CHOICES = sorted(MEMCACHED_FLAGS)


class Result(LearnerOwned):
    """A learner's latest and best score on one challenge (learners.identity owns it)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="results")
    score = models.PositiveSmallIntegerField(help_text="Right predictions in the latest run.")
    out_of = models.PositiveSmallIntegerField(help_text="Predictions graded in the latest run.")
    best_score = models.PositiveSmallIntegerField()
    best_out_of = models.PositiveSmallIntegerField()
    runs = models.PositiveIntegerField(default=1)
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-checked_at"]
        constraints = one_per_learner("challenge_result", "challenge")

    def __str__(self) -> str:
        return f"{self.challenge}: {self.score}/{self.out_of}"
