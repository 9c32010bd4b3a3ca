"""Taking a quiz: starting attempts, the learner's progress, answers, hints and results.

Every function works on an attempt already checked to belong to the learner (owned_attempt)
and refuses anything else with a Refused carrying the HTTP status and the sentence to show;
a refused request changes nothing. The quiz's questions come from the site's generational
cache (quiz.content); a learner's progress is read from the database on every step, in two
small queries: the attempt with its quiz, and the attempt's answers and hints.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.utils import timezone

from learners.identity import Learner
from quiz.content import ChoiceData, QuestionData, quiz_content, set_content
from quiz.models import Answer, Attempt, AttemptQuestion, HintUse, Kind, Question, Quiz
from quiz.scoring import Score, Tally, lettered, score, shuffled
from quiz.statistics import OptionShare, first_attempt_counts, option_shares

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


def owned_attempt(learner: Learner, pk: int) -> Attempt:
    """The learner's attempt, with its quiz (and a lesson test's lesson) loaded."""
    try:
        attempt = Attempt.objects.select_related("quiz", "lesson").get(pk=pk)
    except Attempt.DoesNotExist:
        raise Refused(404, NOT_YOURS) from None
    if not learner.owns(attempt):
        raise Refused(404, NOT_YOURS)
    return attempt


def start_attempt(quiz: Quiz, learner: Learner) -> Attempt:
    if not quiz_content(quiz):
        raise Refused(409, NO_QUESTIONS)
    is_first = not Attempt.objects.filter(learner.filter(), quiz=quiz, kind=Kind.QUIZ).exists()
    return Attempt.objects.create(quiz=quiz, is_first=is_first, **learner.owner_fields())


def start_set(learner: Learner, kind: Kind, question_ids: list[int], **fields) -> Attempt:
    """An attempt at a made-up set of questions (never counted as a first attempt)."""
    if not question_ids:
        raise Refused(409, NO_QUESTIONS)
    with transaction.atomic():
        attempt = Attempt.objects.create(
            kind=kind, is_first=False, **fields, **learner.owner_fields()
        )
        AttemptQuestion.objects.bulk_create(
            AttemptQuestion(attempt=attempt, question_id=pk, order=n)
            for n, pk in enumerate(question_ids, start=1)
        )
    return attempt


def with_scores(attempts: QuerySet[Attempt]) -> QuerySet[Attempt]:
    """Attempts annotated with answered_count and correct_count (listings; the question
    count is the quiz's)."""
    return attempts.annotate(
        answered_count=Count("answers", distinct=True),
        correct_count=Count("answers", filter=Q(answers__choice__is_correct=True), distinct=True),
    )


def learner_attempts(learner: Learner, quiz: Quiz) -> list[Attempt]:
    return list(with_scores(Attempt.objects.filter(learner.filter(), quiz=quiz, kind=Kind.QUIZ)))


def quizzes_with_best_scores(learner: Learner) -> list[Quiz]:
    """Every quiz with question_count, lesson_count (the lessons its questions test) and `best`
    (this learner's best finished Tally or None)."""
    # Meta.ordering does not apply to aggregating queries: order explicitly.
    quizzes = list(
        Quiz.objects.annotate(
            question_count=Count("questions"),
            lesson_count=Count("questions__lesson", distinct=True),
        ).order_by("order", "pk")
    )
    finished = with_scores(
        Attempt.objects.filter(learner.filter(), kind=Kind.QUIZ, finished_at__isnull=False)
    )
    best: dict[int, int] = {}
    for attempt in finished:
        best[attempt.quiz_id] = max(best.get(attempt.quiz_id, 0), attempt.correct_count)
    for quiz in quizzes:
        quiz.best = Tally(best[quiz.pk], quiz.question_count) if quiz.pk in best else None
    return quizzes


@dataclass(frozen=True)
class Progress:
    """Where a learner is in an attempt: the quiz's questions, the option chosen for each
    answered question and the questions whose hint was revealed."""

    attempt: Attempt
    questions: Sequence[QuestionData]
    chosen: dict[int, int]
    hinted: set[int]

    @property
    def question_count(self) -> int:
        return len(self.questions)

    @property
    def answered_count(self) -> int:
        return len(self.chosen)

    @property
    def complete(self) -> bool:
        return self.answered_count >= self.question_count

    @property
    def next_question(self) -> QuestionData | None:
        return next((q for q in self.questions if q.pk not in self.chosen), None)

    def question(self, question_id: int) -> QuestionData:
        question = next((q for q in self.questions if q.pk == question_id), None)
        if question is None:
            raise Refused(404, NOT_IN_QUIZ)
        return question


def progress_rows(attempt: Attempt) -> list[tuple[int, int | None]]:
    """One query for both: answers as (question, choice), revealed hints as (question, None)."""
    answers = Answer.objects.filter(attempt=attempt).values_list("question_id", "choice_id")
    no_choice = Value(None, output_field=IntegerField())
    hints = HintUse.objects.filter(attempt=attempt).values_list("question_id", no_choice)
    return list(answers.order_by().union(hints.order_by(), all=True))


def progress(attempt: Attempt) -> Progress:
    """The attempt's progress, read from the database, with its questions in the order they
    are asked."""
    chosen: dict[int, int] = {}
    hinted: set[int] = set()
    for question_id, choice_id in progress_rows(attempt):
        if choice_id is None:
            hinted.add(question_id)
        else:
            chosen[question_id] = choice_id
    return Progress(attempt, questions_asked(attempt), chosen, hinted)


def questions_asked(attempt: Attempt) -> Sequence[QuestionData]:
    if attempt.kind == Kind.QUIZ:
        return quiz_content(attempt.quiz)
    picks = list(attempt.set_questions.values_list("question_id", flat=True))
    quiz_ids = sorted(set(Question.objects.filter(pk__in=picks).values_list("quiz_id", flat=True)))
    return set_content(quiz_ids, picks)


def owned_progress(learner: Learner, pk: int) -> Progress:
    """The learner's attempt and their progress in it."""
    return progress(owned_attempt(learner, pk))


def finish_if_complete(state: Progress) -> None:
    """Mark the attempt finished once every question is answered (idempotent)."""
    if state.complete and state.attempt.finished_at is None:
        now = timezone.now()
        Attempt.objects.filter(pk=state.attempt.pk, finished_at=None).update(finished_at=now)
        state.attempt.finished_at = now


def posted_choice(question: QuestionData, raw_id: str | None) -> ChoiceData:
    if not raw_id:
        raise Refused(400, NO_CHOICE)
    choice = next((c for c in question.choices if str(c.pk) == raw_id.strip()), None)
    if choice is None:
        raise Refused(400, NOT_AN_OPTION)
    return choice


def unanswered_question(state: Progress, question_id: int) -> QuestionData:
    question = state.question(question_id)
    if question.pk in state.chosen:
        raise Refused(409, ALREADY_ANSWERED)
    return question


def record_answer(attempt: Attempt, question_id: int, raw_choice_id: str | None) -> Progress:
    """Record the learner's option, by option id, for a question of their attempt that they
    have not answered yet. The last answer finishes the attempt. Returns the progress with
    the answer in it."""
    state = progress(attempt)
    question = unanswered_question(state, question_id)
    choice = posted_choice(question, raw_choice_id)
    try:
        with transaction.atomic():
            Answer.objects.create(attempt=attempt, question_id=question.pk, choice_id=choice.pk)
    except IntegrityError as error:  # the same question answered twice at once
        raise Refused(409, ALREADY_ANSWERED) from error
    state.chosen[question.pk] = choice.pk
    finish_if_complete(state)
    return state


def reveal_hint(attempt: Attempt, question_id: int) -> QuestionData:
    """Record that the learner asked for this question's hint before answering it."""
    state = progress(attempt)
    question = unanswered_question(state, question_id)
    if question.pk not in state.hinted:
        # get_or_create settles two reveals at once: the hint is recorded once.
        HintUse.objects.get_or_create(attempt=attempt, question_id=question.pk)
    return question


@dataclass(frozen=True)
class OptionRow:
    letter: str
    choice: ChoiceData
    chosen: bool = False
    share: OptionShare | None = None


@dataclass(frozen=True)
class Review:
    """One question as the learner sees it: options in this attempt's order, with the
    answer (if any) and the first-attempt shares (on the feedback page)."""

    question: QuestionData
    rows: list[OptionRow]
    hint_revealed: bool

    @property
    def chosen_row(self) -> OptionRow | None:
        return next((row for row in self.rows if row.chosen), None)

    @property
    def answered(self) -> bool:
        return self.chosen_row is not None

    @property
    def correct(self) -> bool:
        return self.answered and self.chosen_row.choice.is_correct

    @property
    def correct_rows(self) -> list[OptionRow]:
        return [row for row in self.rows if row.choice.is_correct]


def review(
    state: Progress, question: QuestionData, shares: dict[int, OptionShare] | None = None
) -> Review:
    chosen_id = state.chosen.get(question.pk)
    options = shuffled(question.choices, state.attempt.pk, question.pk)
    rows = [
        OptionRow(letter, choice, choice.pk == chosen_id, (shares or {}).get(choice.pk))
        for letter, choice in lettered(options)
    ]
    return Review(question, rows, question.pk in state.hinted)


def feedback(state: Progress, question_id: int) -> Review:
    """A question after answering, with how first attempts chose each option."""
    question = state.question(question_id)
    if question.pk not in state.chosen:
        return review(state, question)
    choice_ids = [choice.pk for choice in question.choices]
    return review(state, question, option_shares(first_attempt_counts(question.pk), choice_ids))


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


def results(state: Progress) -> Results:
    reviews = [review(state, question) for question in state.questions]
    chosen = {r.question.pk: r.chosen_row.choice for r in reviews if r.chosen_row is not None}
    return Results(state.attempt, score(state.questions, chosen), reviews, len(state.hinted))


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
