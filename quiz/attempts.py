"""Taking a quiz: starting attempts, the next question, recording answers and hints, results.

Every function takes an attempt already checked to belong to the learner (owned_attempt),
and refuses anything else with a Refused carrying the HTTP status and the sentence to show.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from quiz.learners import Learner
from quiz.models import Answer, Attempt, Choice, HintUse, Question, Quiz
from quiz.scoring import Score, Tally, lettered, score, shuffled
from quiz.statistics import OptionShare, first_attempt_counts, forget_counts, option_shares

NOT_YOURS = "There is no attempt of yours with that number."
NOT_IN_QUIZ = "That question is not part of this attempt's quiz."
ALREADY_ANSWERED = "You have already answered this question; an answer cannot be changed."
NO_CHOICE = "Choose one of the options before checking your answer."
NOT_AN_OPTION = "That option is not one of this question's options."
NO_QUESTIONS = "This quiz has no questions yet."


class Refused(Exception):
    """A request the quiz will not act on; nothing has been changed."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def with_progress(attempts: QuerySet[Attempt]) -> QuerySet[Attempt]:
    """Attempts annotated with answered_count, correct_count and question_count."""
    return attempts.select_related("quiz").annotate(
        answered_count=Count("answers", distinct=True),
        correct_count=Count("answers", filter=Q(answers__choice__is_correct=True), distinct=True),
        question_count=Count("quiz__questions", distinct=True),
    )


def owned_attempt(learner: Learner, pk: int) -> Attempt:
    attempt = with_progress(Attempt.objects.filter(learner.attempts, pk=pk)).first()
    if attempt is None:
        raise Refused(404, NOT_YOURS)
    return attempt


def start_attempt(quiz: Quiz, learner: Learner) -> Attempt:
    if not quiz.questions.exists():
        raise Refused(409, NO_QUESTIONS)
    is_first = not Attempt.objects.filter(learner.attempts, quiz=quiz).exists()
    return Attempt.objects.create(quiz=quiz, is_first=is_first, **learner.owner_fields())


def learner_attempts(learner: Learner, quiz: Quiz) -> list[Attempt]:
    return list(with_progress(Attempt.objects.filter(learner.attempts, quiz=quiz)))


def quizzes_with_best_scores(learner: Learner) -> list[Quiz]:
    """Every quiz with question_count and `best` (this learner's best finished Tally or None)."""
    quizzes = list(Quiz.objects.annotate(question_count=Count("questions")))
    finished = with_progress(Attempt.objects.filter(learner.attempts, finished_at__isnull=False))
    best: dict[int, Tally] = {}
    for attempt in finished:
        tally = Tally(attempt.correct_count, attempt.question_count)
        if attempt.quiz_id not in best or tally.correct > best[attempt.quiz_id].correct:
            best[attempt.quiz_id] = tally
    for quiz in quizzes:
        quiz.best = best.get(quiz.pk)
    return quizzes


def quiz_questions(attempt: Attempt) -> QuerySet[Question]:
    """The attempt's questions in order, ready to show: solution, options, hint_revealed."""
    hint_used = HintUse.objects.filter(attempt=attempt, question=OuterRef("pk"))
    return (
        Question.objects.filter(quiz_id=attempt.quiz_id)
        .select_related("solution")
        .prefetch_related("choices")
        .annotate(hint_revealed=Exists(hint_used))
        .order_by("order", "pk")
    )


def next_question(attempt: Attempt) -> Question | None:
    return quiz_questions(attempt).exclude(answers__attempt=attempt).first()


def question_in_quiz(attempt: Attempt, question_id: int) -> Question:
    question = (
        Question.objects.select_related("solution")
        .filter(pk=question_id, quiz_id=attempt.quiz_id)
        .first()
    )
    if question is None:
        raise Refused(404, NOT_IN_QUIZ)
    return question


def refuse_if_answered(attempt: Attempt, question: Question) -> None:
    if Answer.objects.filter(attempt=attempt, question=question).exists():
        raise Refused(409, ALREADY_ANSWERED)


def posted_choice(question: Question, raw_id: str | None) -> Choice:
    if not raw_id:
        raise Refused(400, NO_CHOICE)
    if not raw_id.isdigit():
        raise Refused(400, NOT_AN_OPTION)
    choice = Choice.objects.filter(pk=int(raw_id), question=question).first()
    if choice is None:
        raise Refused(400, NOT_AN_OPTION)
    return choice


def record_answer(attempt: Attempt, question_id: int, raw_choice_id: str | None) -> Answer:
    """Record the learner's option for a question they have not answered, by option id.
    Finishes the attempt with its last answer."""
    question = question_in_quiz(attempt, question_id)
    refuse_if_answered(attempt, question)
    choice = posted_choice(question, raw_choice_id)
    try:
        with transaction.atomic():
            answer = Answer.objects.create(attempt=attempt, question=question, choice=choice)
            finish_if_complete(attempt)
    except IntegrityError as error:  # the same answer posted twice at once
        raise Refused(409, ALREADY_ANSWERED) from error
    if attempt.is_first:
        forget_counts(question.pk)
    return answer


def finish_if_complete(attempt: Attempt) -> None:
    unanswered = Question.objects.filter(quiz_id=attempt.quiz_id).exclude(answers__attempt=attempt)
    if not unanswered.exists():
        Attempt.objects.filter(pk=attempt.pk, finished_at=None).update(finished_at=timezone.now())


def reveal_hint(attempt: Attempt, question_id: int) -> Question:
    """Record that the learner asked for this question's hint (once)."""
    question = question_in_quiz(attempt, question_id)
    refuse_if_answered(attempt, question)
    try:
        with transaction.atomic():
            HintUse.objects.get_or_create(attempt=attempt, question=question)
    except IntegrityError:  # revealed twice at once: once is recorded, which is what counts
        pass
    return question


@dataclass(frozen=True)
class OptionRow:
    letter: str
    choice: Choice
    chosen: bool = False
    share: OptionShare | None = None


@dataclass(frozen=True)
class Review:
    """One question as shown after answering (or in the results)."""

    question: Question
    rows: list[OptionRow]
    answer: Answer | None

    @property
    def correct(self) -> bool:
        return self.answer is not None and self.answer.choice.is_correct

    @property
    def correct_rows(self) -> list[OptionRow]:
        return [row for row in self.rows if row.choice.is_correct]

    @property
    def chosen_row(self) -> OptionRow | None:
        return next((row for row in self.rows if row.chosen), None)


def option_rows(
    attempt: Attempt,
    question: Question,
    chosen_id: int | None = None,
    shares: dict[int, OptionShare] | None = None,
) -> list[OptionRow]:
    """The question's options in this attempt's order, lettered as shown."""
    options = shuffled(list(question.choices.all()), attempt.pk, question.pk)
    return [
        OptionRow(letter, choice, choice.pk == chosen_id, (shares or {}).get(choice.pk))
        for letter, choice in lettered(options)
    ]


def answered_review(attempt: Attempt, question_id: int) -> Review:
    """The feedback for one question: options with why and first-attempt shares, solution."""
    question = quiz_questions(attempt).prefetch_related("steps").filter(pk=question_id).first()
    if question is None:
        raise Refused(404, NOT_IN_QUIZ)
    answer = (
        Answer.objects.filter(attempt=attempt, question=question).select_related("choice").first()
    )
    if answer is None:
        return Review(question, option_rows(attempt, question), None)
    choice_ids = [choice.pk for choice in question.choices.all()]
    shares = option_shares(first_attempt_counts(question.pk), choice_ids)
    return Review(question, option_rows(attempt, question, answer.choice_id, shares), answer)


@dataclass(frozen=True)
class Results:
    attempt: Attempt
    score: Score
    reviews: list[Review]
    hints_used: int

    @property
    def time_taken(self) -> str:
        if self.attempt.finished_at is None:
            return "not finished"
        return duration_text(self.attempt.finished_at - self.attempt.started_at)


def results(attempt: Attempt) -> Results:
    questions = list(quiz_questions(attempt).prefetch_related("steps"))
    answers = {
        answer.question_id: answer
        for answer in Answer.objects.filter(attempt=attempt).select_related("choice")
    }
    reviews = [
        Review(
            question,
            option_rows(attempt, question, getattr(answers.get(question.pk), "choice_id", None)),
            answers.get(question.pk),
        )
        for question in questions
    ]
    chosen = {pk: answer.choice for pk, answer in answers.items()}
    hints_used = sum(1 for question in questions if question.hint_revealed)
    return Results(attempt, score(questions, chosen), reviews, hints_used)


def duration_text(duration: timedelta) -> str:
    """A duration as a learner reads it: '45 s', '3 min 12 s', '1 h 5 min'."""
    seconds = int(duration.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {seconds} s"
    return f"{seconds} s"
