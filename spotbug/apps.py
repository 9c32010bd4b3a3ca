from django.apps import AppConfig


class SpotbugConfig(AppConfig):
    name = "spotbug"
    verbose_name = "Spot the bug"

    def ready(self) -> None:
        from learners.identity import learner_signed_in
        from spotbug.answers import hand_over_answers

        learner_signed_in.connect(hand_over_answers, dispatch_uid="spotbug.hand_over_answers")
