from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from learners.models import LearnerOwned, one_per_learner
from lessons.rendering import UnknownTopic, render_body

BODY_HELP = (
    "Markdown. A ```python run block gets a “Run in sandbox” button; a ```lab-figures block "
    "holding one topic (e.g. cold-warm) shows the lab's latest figures on it."
)


class Impact(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class LessonManager(models.Manager["Lesson"]):
    def get_by_natural_key(self, slug: str) -> "Lesson":
        return self.get(slug=slug)


class Lesson(models.Model):
    """A lesson. Fixtures name it by its slug (a natural key: `"lesson": ["locmem"]`); rows
    point at its primary key, so renaming the slug in the admin moves nothing."""

    content_release = True  # loadcontent merges each release into it (ops.fixtures)

    slug = models.SlugField(unique=True, help_text="The lesson's address: /lessons/<slug>/.")
    title = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(help_text="Lessons are read in this order.")
    summary = models.TextField(help_text="One or two sentences for the lesson list.")
    impact = models.CharField(max_length=6, choices=Impact.choices, default=Impact.HIGH)
    body = models.TextField(help_text=BODY_HELP)
    # Rendered from `body` on every save (and by `python -m lessons.content` into the fixture).
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField("table of contents", editable=False, default=list)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LessonManager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.render()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "toc", "reading_minutes"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("lessons:detail", args=[self.slug])

    def section_url(self, anchor: str) -> str:
        """The lesson's page at one heading ("" anchor: the top)."""
        return f"{self.get_absolute_url()}#{anchor}" if anchor else self.get_absolute_url()

    def headings(self) -> dict[str, str]:
        """Every heading of the table of contents, nested ones included: anchor -> text."""
        found, entries = {}, list(self.toc)
        while entries:
            entry = entries.pop(0)
            found[entry["id"]] = entry["text"]
            entries += entry.get("children", [])
        return found

    @property
    def short_title(self) -> str:
        """The title up to its colon: "Redis: Django's RedisCache and django-redis" -> "Redis"."""
        return self.title.split(":", 1)[0]

    def clean(self) -> None:
        try:
            self.render()
        except UnknownTopic as error:
            raise ValidationError({"body": str(error)}) from error

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def render(self) -> None:
        """Fill the rendered fields from `body`."""
        rendered = render_body(self.body)
        self.body_html = rendered["html"]
        self.toc = rendered["toc"]
        self.reading_minutes = rendered["minutes"]


class Reading(LearnerOwned):
    """A learner has read a lesson (marked it read at its end). Owned through
    learners.identity: a signed-in learner's `user`, or an anonymous learner's `visitor`."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="readings")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = one_per_learner("reading", "lesson")

    def __str__(self) -> str:
        return f"{self.lesson} read {self.read_at:%Y-%m-%d %H:%M}"
