"""Spot the bug: short snippets (settings, views, templates) with one faulty line each, and
each learner's answer."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from lab.models import Result
from learners.models import LearnerOwned, one_per_learner
from lessons.models import Lesson


class Kind(models.TextChoices):
    SETTINGS = "settings", "settings.py"
    VIEW = "view", "views.py"
    TEMPLATE = "template", "template"


class Snippet(models.Model):
    content_release = True  # loadcontent merges each release into it (ops.fixtures)

    title = models.CharField(max_length=120)
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="snippets")
    section = models.SlugField(max_length=120, blank=True, help_text="The heading's #id.")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    code = models.TextField(help_text="The snippet; keep it short (up to 15 lines).")
    faulty_line = models.PositiveSmallIntegerField(help_text="The line with the bug, from 1.")
    explanation = models.TextField(help_text="What is wrong and what to write instead.")
    sandbox_code = models.TextField(
        blank=True, help_text="Sandbox calls that show it happen (a “See it happen” link)."
    )
    lab_experiment = models.CharField(
        max_length=20, blank=True, help_text="Or the lab experiment that shows it (its kind)."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def lines(self) -> list[str]:
        return self.code.splitlines()

    def lesson_url(self) -> str:
        return self.lesson.section_url(self.section)

    def lab_url(self) -> str:
        return f"{reverse('lab:index')}#{self.lab_experiment}" if self.lab_experiment else ""

    def clean(self) -> None:
        errors = {}
        if not 1 <= self.faulty_line <= len(self.lines):
            errors["faulty_line"] = f"The snippet has lines 1 to {len(self.lines)}."
        if self.lab_experiment and self.lab_experiment not in Result.Kind.values:
            kinds = ", ".join(Result.Kind.values)
            errors["lab_experiment"] = f"Name a lab experiment: {kinds}."
        if errors:
            raise ValidationError(errors)


class Answer(LearnerOwned):
    """A learner's answer to one snippet: the line they picked last, and whether their first
    pick was right. Owned through learners.identity (`user`, or a visitor's id)."""

    snippet = models.ForeignKey(Snippet, on_delete=models.CASCADE, related_name="answers")
    line = models.PositiveSmallIntegerField()
    right = models.BooleanField()
    first_try_right = models.BooleanField()
    tries = models.PositiveSmallIntegerField(default=1)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = one_per_learner("answer", "snippet")

    def __str__(self) -> str:
        return f"{self.snippet}: line {self.line}"
