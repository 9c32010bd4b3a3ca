from django.db import models
from django.urls import reverse

from lessons.rendering import reading_minutes

BODY_HELP = "Markdown. A ```python run block gets a “Run in sandbox” button."


class Impact(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Lesson(models.Model):
    slug = models.SlugField(unique=True, help_text="The lesson's address: /lessons/<slug>/.")
    title = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(help_text="Lessons are read in this order.")
    summary = models.TextField(help_text="One or two sentences for the lesson list.")
    impact = models.CharField(max_length=6, choices=Impact.choices, default=Impact.HIGH)
    body = models.TextField(help_text=BODY_HELP)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("lessons:detail", args=[self.slug])

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.body)
