"""Questions and attempts point at a lesson's primary key instead of its slug (which the
admin edits), step 1 of 3: a new column beside the old one. Three migrations, so that on
PostgreSQL the rows are updated (0006) in another transaction than the tables are altered
(0007): deferred foreign-key checks pending in a transaction forbid ALTER TABLE.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0003_reading"),
        ("quiz", "0004_question_sets"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="lesson_by_pk",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="lessons.lesson",
            ),
        ),
        migrations.AddField(
            model_name="attempt",
            name="lesson_by_pk",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="lessons.lesson",
            ),
        ),
        # Nullable while both columns exist, so that going back can add it again and fill it.
        migrations.AlterField(
            model_name="question",
            name="lesson",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="questions",
                to="lessons.lesson",
                to_field="slug",
            ),
        ),
    ]
