"""Step 3 of 3: the slug column goes, the primary-key column takes the name `lesson`."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("quiz", "0006_lesson_by_primary_key_data")]

    operations = [
        migrations.RemoveField(model_name="question", name="lesson"),
        migrations.RemoveField(model_name="attempt", name="lesson"),
        migrations.RenameField(model_name="question", old_name="lesson_by_pk", new_name="lesson"),
        migrations.RenameField(model_name="attempt", old_name="lesson_by_pk", new_name="lesson"),
        migrations.AlterField(
            model_name="question",
            name="lesson",
            field=models.ForeignKey(
                help_text="The lesson that teaches what this question tests.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="questions",
                to="lessons.lesson",
            ),
        ),
        migrations.AlterField(
            model_name="attempt",
            name="lesson",
            field=models.ForeignKey(
                blank=True,
                help_text="The lesson of a “Test yourself” attempt.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="lessons.lesson",
            ),
        ),
    ]
