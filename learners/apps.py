from django.apps import AppConfig


class LearnersConfig(AppConfig):
    name = "learners"
    verbose_name = "Learners"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from learners.identity import hand_over_visitor_work

        user_logged_in.connect(hand_over_visitor_work, dispatch_uid="learners.identity")
