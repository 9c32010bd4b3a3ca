from django.apps import AppConfig


class FlashcardsConfig(AppConfig):
    name = "flashcards"
    verbose_name = "Flashcards"

    def ready(self) -> None:
        from flashcards.scheduling import hand_over_reviews
        from learners.identity import learner_signed_in

        learner_signed_in.connect(hand_over_reviews, dispatch_uid="flashcards.hand_over_reviews")
