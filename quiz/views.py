"""Quiz pages. Every form works as a plain POST + redirect; with htmx the same URLs answer
with the partial that changed. Each question of an attempt has its own URL, showing the
question until it is answered and the feedback after, so the browser's history follows the
steps. Domain logic lives in quiz.attempts and quiz.question_sets."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from learners.identity import ensure_learner, learner_of
from lessons.models import Lesson
from quiz import attempts
from quiz.attempts import Progress, Refused
from quiz.models import Attempt, Kind, Quiz
from quiz.progress import missed_questions
from quiz.question_sets import lesson_questions, missed
from sitecache.http import never_stored

PAGE = "quiz/attempt.html"
NOTHING_TO_REVIEW = "Nothing to review: every question you answered, your latest answer was right."


def shows_refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a Refused into its status and message: a page, or for htmx a swap into the
    page's alert region (the rest of the page stays as it was)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Refused as refusal:
            template = "quiz/refused.html#message" if request.htmx else "quiz/refused.html"
            back = "pk" in kwargs and refusal.status != 404
            context = {
                "message": refusal.message,
                "back_url": reverse("quiz:attempt", args=[kwargs["pk"]]) if back else None,
            }
            response = render(request, template, context, status=refusal.status)
            if request.htmx:
                response["HX-Retarget"] = "#quiz-alert"
                response["HX-Reswap"] = "innerHTML"
            return response

    return wrapper


def wants_partial(request: HttpRequest) -> bool:
    """An htmx swap; a history restore after a cache miss needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def go_to(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect; an htmx request is sent to the whole new page rather than a fragment."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def question_url(attempt: Attempt, question_id: int) -> str:
    return reverse("quiz:question", args=[attempt.pk, question_id])


def next_step_url(state: Progress) -> str:
    """The first unanswered question, or the results once all are answered."""
    question = state.next_question
    if question is None:
        return reverse("quiz:results", args=[state.attempt.pk])
    return question_url(state.attempt, question.pk)


def started(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    return go_to(request, next_step_url(attempts.progress(attempt)))


@require_safe
@never_stored
def index(request: HttpRequest) -> HttpResponse:
    quizzes = attempts.quizzes_with_best_scores(learner_of(request))
    return render(request, "quiz/index.html", {"quizzes": quizzes})


@require_safe
@never_stored
def quiz_detail(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.annotate(question_count=Count("questions")), slug=slug)
    past = attempts.learner_attempts(learner_of(request), quiz)
    return render(request, "quiz/quiz.html", {"quiz": quiz, "attempts": past})


@require_POST
@shows_refusals
def start(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz, slug=slug)
    return started(request, attempts.start_attempt(quiz, ensure_learner(request)))


@require_http_methods(["GET", "HEAD", "POST"])
@never_stored
@shows_refusals
def lesson_test(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Test yourself" on one lesson: what it is (GET), or a new attempt at it (POST)."""
    lesson = get_object_or_404(Lesson.objects.only("slug", "title"), slug=slug)
    questions = lesson_questions(lesson)
    if request.method != "POST":
        context = {"lesson": lesson, "question_count": len(questions)}
        return render(request, "quiz/lesson.html", context)
    ids = [question.pk for question in questions]
    learner = ensure_learner(request)
    return started(request, attempts.start_set(learner, Kind.LESSON, ids, lesson=lesson))


@require_http_methods(["GET", "HEAD", "POST"])
@never_stored
@shows_refusals
def review(request: HttpRequest) -> HttpResponse:
    """The questions whose latest answer was wrong (GET), or a quiz of them (POST)."""
    if request.method != "POST":
        context = {"missed": missed_questions(learner_of(request))}
        return render(request, "quiz/review.html", context)
    ids = [answer.question.pk for answer in missed(learner_of(request))]
    if not ids:
        messages.info(request, NOTHING_TO_REVIEW)
        return go_to(request, reverse("quiz:review"))
    return started(request, attempts.start_set(ensure_learner(request), Kind.REVIEW, ids))


@require_safe
@never_stored
@shows_refusals
def attempt_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the attempt goes on: its next unanswered question, or the results."""
    state = attempts.owned_progress(learner_of(request), pk)
    return go_to(request, next_step_url(state))


def render_question(request: HttpRequest, state: Progress, question_id: int) -> HttpResponse:
    """The question's form while unanswered, its feedback once answered."""
    question = state.question(question_id)
    context = {"progress": state, "question": question}
    if question.pk in state.chosen:
        review = attempts.feedback(state, question.pk)
        partial = "feedback"
        context["next_url"] = next_step_url(state)
    else:
        review = attempts.review(state, question)
        partial = "question"
    context |= {"review": review, "hint_revealed": review.hint_revealed}
    return render(request, f"{PAGE}#{partial}" if wants_partial(request) else PAGE, context)


@require_safe
@never_stored
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
@shows_refusals
def question(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    state = attempts.owned_progress(learner_of(request), pk)
    return render_question(request, state, question_id)


@require_POST
@vary_on_headers("HX-Request")
@shows_refusals
def answer(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """Record the answer. The feedback replaces the question at the same URL, so the browser's
    Back goes to the step before rather than to a form already answered."""
    attempt = attempts.owned_attempt(learner_of(request), pk)
    state = attempts.record_answer(attempt, question_id, request.POST.get("choice"))
    if not request.htmx:
        return redirect(question_url(attempt, question_id))
    response = render_question(request, state, question_id)
    response["HX-Replace-Url"] = question_url(attempt, question_id)
    return response


@require_POST
@vary_on_headers("HX-Request")
@shows_refusals
def hint(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    attempt = attempts.owned_attempt(learner_of(request), pk)
    question = attempts.reveal_hint(attempt, question_id)
    if not request.htmx:
        return redirect(question_url(attempt, question_id) + "#quiz-hint")
    context = {"question": question, "hint_revealed": True}
    return render(request, f"{PAGE}#hint", context)


@require_safe
@never_stored
@shows_refusals
def attempt_results(request: HttpRequest, pk: int) -> HttpResponse:
    state = attempts.owned_progress(learner_of(request), pk)
    if not state.complete:
        return redirect(next_step_url(state))
    attempts.finish_if_complete(state)
    return render(request, "quiz/results.html", {"results": attempts.results(state)})
