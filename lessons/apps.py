from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Lessons"

    def ready(self) -> None:
        from learners.identity import learner_signed_in
        from lessons import signals  # noqa: F401  (updated_at on raw saves, page generation)
        from lessons.progress import hand_over_readings

        learner_signed_in.connect(hand_over_readings, dispatch_uid="lessons.hand_over_readings")
