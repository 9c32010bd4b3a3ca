"""Quiz content (quizzes, questions, options, worked solutions) and learner progress."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


def new_content_version() -> str:
    """The default of a field that no longer exists, which migration 0002 still names."""
    return secrets.token_hex(8)


class Quiz(models.Model):
    content_release = True  # loadcontent merges each release into it (ops.fixtures)

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    content_release = True  # loadcontent merges each release into it (ops.fixtures)

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(default=0)
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    lesson = models.ForeignKey(
        "lessons.Lesson",
        on_delete=models.PROTECT,
        related_name="questions",
        help_text="The lesson that teaches what this question tests.",
    )
    section = models.CharField(
        max_length=100,
        help_text="The id of the lesson heading that teaches it (its #anchor).",
    )
    prompt = models.TextField()
    code = models.TextField(blank=True, help_text="Optional code shown under the prompt.")
    follow_up = models.TextField(blank=True, help_text="Optional text shown after the code.")

    class Meta:
        ordering = ["quiz", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.quiz.slug} {self.order}: {self.prompt[:60]}"


class Choice(models.Model):
    content_release = True  # loadcontent merges each release into it (ops.fixtures)

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(default=0, help_text="Position in the source (A=1).")
    text = models.TextField()
    is_correct = models.BooleanField(default=False)
    why = models.TextField(help_text="Why this option is right or wrong.")

    class Meta:
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Solution(models.Model):
    """The worked solution shown after answering; its steps are Step rows."""

    content_release = True  # loadcontent merges each release into it (ops.fixtures)

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="solution")
    final_answer = models.TextField()
    quick_check = models.TextField()
    hint = models.TextField()
    common_mistakes = models.TextField(help_text="One mistake per line.")

    def __str__(self) -> str:
        return f"Solution to {self.question}"

    def mistakes(self) -> list[str]:
        return [line.strip() for line in self.common_mistakes.splitlines() if line.strip()]


class Step(models.Model):
    content_release = True  # loadcontent merges each release into it (ops.fixtures)

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Kind(models.TextChoices):
    QUIZ = "quiz", "Quiz"
    REVIEW = "review", "Review of missed questions"
    LESSON = "lesson", "Test yourself on a lesson"


class Attempt(models.Model):
    """One learner taking one quiz once, or a question set made for them (a review of what
    they missed, a lesson's "Test yourself"), whose questions are its AttemptQuestion rows.
    A learner is a user, or else an anonymous visitor id (learners.identity)."""

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.QUIZ)
    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="attempts", null=True, blank=True
    )
    lesson = models.ForeignKey(
        "lessons.Lesson",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        help_text="The lesson of a “Test yourself” attempt.",
    )
    picked = models.ManyToManyField(
        "Question", through="AttemptQuestion", related_name="+", blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    visitor = models.CharField(max_length=64, blank=True, db_index=True)
    is_first = models.BooleanField(
        default=True, help_text="Counted in statistics: the learner's first try at a quiz."
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(visitor=""),
                name="attempt_has_a_learner",
            ),
            models.CheckConstraint(
                condition=Q(kind="quiz", quiz__isnull=False)
                | (~Q(kind="quiz") & Q(is_first=False)),
                name="only_quiz_attempts_count_as_first",
            ),
        ]

    def __str__(self) -> str:
        return f"Attempt {self.pk}: {self.title}"

    @property
    def title(self) -> str:
        if self.kind == Kind.REVIEW:
            return "Review what you missed"
        if self.kind == Kind.LESSON:
            return f"Test yourself: {self.lesson.title}"
        return self.quiz.title

    @property
    def origin_url(self) -> str:
        """The page this attempt was started from (and can be started again from)."""
        if self.kind == Kind.REVIEW:
            return reverse("quiz:review")
        if self.kind == Kind.LESSON:
            return reverse("quiz:lesson", args=[self.lesson.slug])
        return reverse("quiz:quiz", args=[self.quiz.slug])


class AttemptQuestion(models.Model):
    """A question of a made-up set (review, lesson test), in the order it is asked."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="set_questions")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["attempt", "order"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="a_question_once_a_set")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}: question {self.question_id}"


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="answers")
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["attempt", "question__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.attempt}: {self.choice}"


class HintUse(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="hint_uses")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="hint_uses")
    revealed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="one_hint_use_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt}: hint for question {self.question_id}"
