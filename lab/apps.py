from django.apps import AppConfig


class LabConfig(AppConfig):
    name = "lab"
    verbose_name = "Performance lab"

    def ready(self) -> None:
        from lab.results import hand_over_results
        from learners.identity import learner_signed_in

        learner_signed_in.connect(hand_over_results, dispatch_uid="lab.results")
