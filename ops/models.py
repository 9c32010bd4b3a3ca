"""What the content releases loaded (manage.py loadcontent, ops.releases)."""

from django.db import models


class ReleasedRow(models.Model):
    """A database row a content fixture made or names, with what the fixture said of it when
    last loaded: a field whose value still matches was not edited since, so the next release
    may change it; one that differs was edited (in the admin) and is kept."""

    model = models.CharField(max_length=100, help_text="app_label.model")
    key = models.CharField(max_length=300, help_text="The fixture's pk, or the natural key.")
    object_pk = models.CharField(max_length=64, help_text="The row's primary key.")
    source = models.CharField(max_length=200, help_text="The fixture file's name.")
    digest = models.CharField(max_length=32, help_text="The fixture object's hash.")
    fields = models.JSONField(default=dict, help_text="Field name -> the loaded value's hash.")
    removed = models.BooleanField(
        default=False, help_text="Gone from the fixtures, kept in the database (reported once)."
    )
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="one_record_per_fixture_row")
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.key} -> {self.object_pk}"
