from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = "Predict, then run"

    def ready(self) -> None:
        from challenges.results import hand_over_results
        from learners.identity import learner_signed_in

        learner_signed_in.connect(hand_over_results, dispatch_uid="challenges.hand_over_results")
