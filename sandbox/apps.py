from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "sandbox"
    verbose_name = "Sandbox"

    def ready(self) -> None:
        from learners.identity import learner_signed_in
        from sandbox import explanations  # noqa: F401 (connects its receivers)
        from sandbox.signals import hand_over_history

        learner_signed_in.connect(hand_over_history, dispatch_uid="sandbox.hand_over_history")
