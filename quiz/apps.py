from django.apps import AppConfig


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = "Quiz"

    def ready(self) -> None:
        from learners.identity import learner_signed_in
        from quiz.content import connect_signals
        from quiz.handover import move_visitor_work

        connect_signals()
        learner_signed_in.connect(move_visitor_work, dispatch_uid="quiz-move-visitor-work")
