"""Step 2 of 3: fill the primary-key column from the slug column (and back, going back).
Every quiz gets a new content version, so no process or cache serves questions read before."""

import secrets

from django.db import migrations


def new_content_versions(apps) -> None:
    Quiz = apps.get_model("quiz", "Quiz")
    for pk in Quiz.objects.values_list("pk", flat=True):
        Quiz.objects.filter(pk=pk).update(content_version=secrets.token_hex(8))


def slugs_to_pks(apps, schema_editor) -> None:
    Lesson = apps.get_model("lessons", "Lesson")
    pks = dict(Lesson.objects.values_list("slug", "pk"))
    for name in ("Question", "Attempt"):
        model = apps.get_model("quiz", name)
        for slug, pk in pks.items():
            model.objects.filter(lesson_id=slug).update(lesson_by_pk_id=pk)
    new_content_versions(apps)


def pks_to_slugs(apps, schema_editor) -> None:
    Lesson = apps.get_model("lessons", "Lesson")
    slugs = dict(Lesson.objects.values_list("pk", "slug"))
    for name in ("Question", "Attempt"):
        model = apps.get_model("quiz", name)
        for pk, slug in slugs.items():
            model.objects.filter(lesson_by_pk_id=pk).update(lesson_id=slug)
    new_content_versions(apps)


class Migration(migrations.Migration):
    dependencies = [("quiz", "0005_lesson_by_primary_key_columns")]

    operations = [migrations.RunPython(slugs_to_pks, pks_to_slugs)]
