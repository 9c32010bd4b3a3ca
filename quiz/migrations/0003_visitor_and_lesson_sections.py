"""Attempts belong to a visitor id instead of a session key; questions name their lesson (a
lessons.Lesson, by slug) and the section of it that teaches them.

No raw session key stays in the database: an old anonymous attempt keeps its statistics under
a one-way hash of its session key (`legacy-...`), which no session will ever hold again, so it
is nobody's to continue. Questions keep their lesson ("choosing" becomes the lessons app's
"choosing-a-backend"); their section starts empty: `manage.py loaddata fixtures/quiz.json` fills
it for the course content.
"""

import hashlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

LESSON_SLUGS = {"choosing": "choosing-a-backend"}


def hash_session_keys(apps, schema_editor) -> None:
    Attempt = apps.get_model("quiz", "Attempt")
    for attempt in Attempt.objects.exclude(session_key="").only("pk", "user", "session_key"):
        digest = hashlib.sha256(attempt.session_key.encode()).hexdigest()[:40]
        visitor = "" if attempt.user_id is not None else f"legacy-{digest}"
        Attempt.objects.filter(pk=attempt.pk).update(visitor=visitor, session_key="")


def rename_lessons(apps, schema_editor) -> None:
    Question = apps.get_model("quiz", "Question")
    for old, new in LESSON_SLUGS.items():
        Question.objects.filter(lesson=old).update(lesson=new)


def restore_lessons(apps, schema_editor) -> None:
    Question = apps.get_model("quiz", "Question")
    for old, new in LESSON_SLUGS.items():
        Question.objects.filter(lesson=new).update(lesson=old)


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0001_initial"),
        ("quiz", "0002_quiz_content_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="visitor",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.RunPython(hash_session_keys, migrations.RunPython.noop, elidable=True),
        migrations.RemoveConstraint(model_name="attempt", name="attempt_has_a_learner"),
        migrations.RemoveField(model_name="attempt", name="session_key"),
        migrations.AddConstraint(
            model_name="attempt",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("user__isnull", False),
                    models.Q(("visitor", ""), _negated=True),
                    _connector="OR",
                ),
                name="attempt_has_a_learner",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="section",
            field=models.CharField(
                default="",
                help_text="The id of the lesson heading that teaches it (its #anchor).",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(rename_lessons, restore_lessons),
        migrations.AlterField(
            model_name="question",
            name="lesson",
            field=models.ForeignKey(
                help_text="The lesson that teaches what this question tests.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="questions",
                to="lessons.lesson",
                to_field="slug",
            ),
        ),
    ]
