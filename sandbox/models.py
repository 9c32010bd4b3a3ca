"""Content the sandbox shows: why backends disagree. Instructors extend it in the admin."""

import re

from django.core.exceptions import ValidationError
from django.db import models

from sandbox.calls import METHODS
from sandbox.catalogue import NAMES
from sandbox.facts import fact_errors

PATTERN_HELP = "Optional regex, searched in lines like 'locmem returned 2'."
CHECK_FACTS_HELP = (
    'What the check code shows on the live servers, per backend: {"django-redis": {"returns": '
    '"True", "raises": "TypeError", "warns": ["CacheKeyWarning"], "wire": ["SET k *"], '
    '"round_trips": 1, "stored": {"k": "digits"}}}. Returns, raises, warns, wire (* is any '
    "text) and round_trips are about the code's last line; stored (digits, pickle, text, bytes "
    "or absent) is what the server holds for each key afterwards. The test suite runs it."
)


class DifferenceKind(models.TextChoices):
    ANY = "", "any"
    VALUE = "value", "returned a different value"
    ERROR = "error", "raised where the others did not"
    WARNING = "warning", "warned where the others did not"


def names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


class Explanation(models.Model):
    """Why some backends give a different answer to the same cache call.

    A pattern is searched in one line per fact: "code: cache.set('k', 1)", "django-redis
    returned True", "memcached raised InvalidCacheKey: ...", "locmem warned CacheKeyWarning:
    ..."."""

    content_release = True  # loadcontent merges each release into it (ops.fixtures)

    methods = models.CharField(
        max_length=200,
        blank=True,
        help_text="Cache methods (set, incr...), comma-separated; blank for any.",
    )
    backends = models.CharField(
        max_length=100,
        help_text="Backends that stand apart (locmem, redis...), comma-separated.",
    )
    kind = models.CharField(max_length=7, choices=DifferenceKind.choices, blank=True)
    pattern = models.CharField(max_length=300, blank=True, help_text=PATTERN_HELP)
    explanation = models.TextField(help_text="What a learner reads: the reason, in plain words.")
    source = models.URLField(max_length=300, help_text="The backend's source or the server's docs.")
    example = models.TextField(help_text="Sandbox code whose last line shows it (tests run it).")
    order = models.PositiveSmallIntegerField(default=0)
    states_behaviour = models.BooleanField(
        "states backend behaviour",
        default=True,
        help_text="The explanation says what a backend sends, stores or returns, so it needs a "
        "check. Untick only for a row that states no such thing.",
    )
    check_code = models.TextField(
        blank=True, help_text="Sandbox code whose run shows the facts below."
    )
    check_facts = models.JSONField(default=dict, blank=True, help_text=CHECK_FACTS_HELP)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.methods or 'any call'}: {self.backends}"

    def clean(self) -> None:
        errors = {}
        unknown = [name for name in names(self.methods) if name not in METHODS]
        if unknown:
            errors["methods"] = f"Not a sandbox cache method: {', '.join(unknown)}."
        unknown = [name for name in names(self.backends) if name not in NAMES]
        if unknown or not names(self.backends):
            errors["backends"] = f"Name backends from: {', '.join(NAMES)}."
        try:
            re.compile(self.pattern)
        except re.error as error:
            errors["pattern"] = f"Not a regular expression: {error}."
        if self.states_behaviour:
            problems = fact_errors(self.check_code, self.check_facts)
            if problems:
                errors["check_facts"] = problems
        if errors:
            raise ValidationError(errors)
