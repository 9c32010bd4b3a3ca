"""A quiz's questions with their options, solutions, steps and links, read on every quiz step.

Built from the database as plain data (frozen dataclasses of primitives) and kept in the
site's generational cache (sitecache.generations): any save or delete of quiz content, or
of a lesson (a question names its lesson and section), bumps the generation, so an edit
saved through any app server is seen by every app server on its next request.
"""

from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save

from lessons.models import Lesson
from quiz.links import Links, links_of
from quiz.models import Choice, Difficulty, Question, Quiz, Solution, Step
from sitecache.generations import Generational

# Lesson: a question shows its lesson's title and section heading.
CONTENT_MODELS = (Quiz, Question, Choice, Solution, Step, Lesson)

QUIZ_CONTENT = Generational(
    "quiz-content",
    timeout=3600,
    stores=(
        "One quiz's questions in order, each with its options (and why each is right or "
        "wrong), worked solution, steps and links: what every quiz step and the results show."
    ),
    part="<quiz id>",
    invalidation=(
        "Saving or deleting a quiz, question, option, solution, step or lesson (the admin, "
        "loaddata, cascades) bumps the generation: at once, and again when it commits."
    ),
)


@dataclass(frozen=True)
class ChoiceData:
    pk: int
    text: str
    is_correct: bool
    why: str


@dataclass(frozen=True)
class StepData:
    title: str
    text: str


@dataclass(frozen=True)
class SolutionData:
    final_answer: str
    quick_check: str
    hint: str
    mistakes: tuple[str, ...]


NO_SOLUTION = SolutionData("", "", "", ())


@dataclass(frozen=True)
class QuestionData:
    pk: int
    quiz_id: int
    difficulty: str
    difficulty_label: str
    prompt: str
    code: str
    follow_up: str
    choices: tuple[ChoiceData, ...]
    solution: SolutionData
    steps: tuple[StepData, ...]
    read_url: str
    read_title: str
    try_url: str


def quiz_content(quiz: Quiz) -> tuple[QuestionData, ...]:
    """The quiz's questions in order, each with everything a step, its feedback and the
    results show."""
    return questions_of(quiz.pk)


def questions_of(quiz_id: int) -> tuple[QuestionData, ...]:
    return QUIZ_CONTENT.get_or_build(lambda: build_content(quiz_id), part=str(quiz_id))


def set_content(quiz_ids: list[int], question_ids: list[int]) -> list[QuestionData]:
    """Questions from several quizzes (a made-up set), in the order given."""
    by_id = {question.pk: question for pk in quiz_ids for question in questions_of(pk)}
    return [by_id[pk] for pk in question_ids if pk in by_id]


def build_content(quiz_id: int) -> tuple[QuestionData, ...]:
    questions = list(
        Question.objects.filter(quiz_id=quiz_id)
        .order_by("order", "pk")
        .select_related("solution")
        .prefetch_related("choices", "steps")
    )
    links = links_of(questions)
    return tuple(question_data(question, links[question.pk]) for question in questions)


def question_data(question: Question, links: Links) -> QuestionData:
    try:
        solution = question.solution
    except Solution.DoesNotExist:
        found = NO_SOLUTION
    else:
        found = SolutionData(
            solution.final_answer, solution.quick_check, solution.hint, tuple(solution.mistakes())
        )
    return QuestionData(
        pk=question.pk,
        quiz_id=question.quiz_id,
        difficulty=question.difficulty,
        difficulty_label=Difficulty(question.difficulty).label,
        prompt=question.prompt,
        code=question.code,
        follow_up=question.follow_up,
        choices=tuple(
            ChoiceData(choice.pk, choice.text, choice.is_correct, choice.why)
            for choice in question.choices.all()
        ),
        solution=found,
        steps=tuple(StepData(step.title, step.text) for step in question.steps.all()),
        read_url=links.read_url,
        read_title=links.read_title,
        try_url=links.try_url,
    )


def content_changed(**_kwargs) -> None:
    QUIZ_CONTENT.bump()


def connect_signals() -> None:
    for model in CONTENT_MODELS:
        uid = f"quiz-content-{model.__name__}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}-saved")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}-deleted")
