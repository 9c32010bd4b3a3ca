from django.apps import AppConfig


class CachelabConfig(AppConfig):
    name = "cachelab"
    verbose_name = "Cache Lab"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from cachelab.learners import hand_over_visitor_work

        user_logged_in.connect(hand_over_visitor_work, dispatch_uid="cachelab.learners")
