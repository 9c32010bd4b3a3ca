from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lessons.library import forget_lesson
from lessons.models import Lesson


@receiver(post_save, sender=Lesson, dispatch_uid="lessons.forget_lesson_on_save")
@receiver(post_delete, sender=Lesson, dispatch_uid="lessons.forget_lesson_on_delete")
def forget_cached_html(sender, instance: Lesson, **kwargs) -> None:
    forget_lesson(instance)
