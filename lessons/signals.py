from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from lessons.models import Lesson
from lessons.page_versions import LESSON_PAGES


@receiver(post_save, sender=Lesson, dispatch_uid="lessons.raw_save_moves_updated_at")
def raw_save_moves_updated_at(sender, instance: Lesson, raw: bool, **kwargs) -> None:
    """loaddata keeps the fixture's `updated_at`; move it, so a reloaded lesson gets a new
    ETag (see lessons.page_versions) like an edit in the admin does."""
    if raw:
        Lesson.objects.filter(pk=instance.pk).update(updated_at=timezone.now())


@receiver(post_save, sender=Lesson, dispatch_uid="lessons.pages_saved")
@receiver(post_delete, sender=Lesson, dispatch_uid="lessons.pages_deleted")
def lesson_changed(**kwargs) -> None:
    LESSON_PAGES.bump()
