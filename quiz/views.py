"""Quiz pages. Every form works as a plain POST + redirect; with htmx the same URLs answer
with the partial that changed. Domain logic lives in quiz.attempts."""

from collections.abc import Callable
from functools import wraps

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from cachelab.learners import ensure_learner, learner_of
from quiz import attempts
from quiz.attempts import Progress, Refused
from quiz.models import Attempt, Quiz

PAGE = "quiz/attempt.html"


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


def go_to(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect; an htmx request is sent to the whole new page rather than a fragment."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def attempt_url(attempt: Attempt) -> str:
    return reverse("quiz:attempt", args=[attempt.pk])


def feedback_url(attempt: Attempt, question_id: int) -> str:
    return reverse("quiz:feedback", args=[attempt.pk, question_id])


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    quizzes = attempts.quizzes_with_best_scores(learner_of(request))
    return render(request, "quiz/index.html", {"quizzes": quizzes})


@require_GET
def quiz_detail(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.annotate(question_count=Count("questions")), slug=slug)
    past = attempts.learner_attempts(learner_of(request), quiz)
    return render(request, "quiz/quiz.html", {"quiz": quiz, "attempts": past})


@require_POST
@shows_refusals
def start(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz, slug=slug)
    attempt = attempts.start_attempt(quiz, ensure_learner(request))
    return go_to(request, attempt_url(attempt))


@require_GET
@vary_on_headers("HX-Request")
@shows_refusals
def attempt_step(request: HttpRequest, pk: int) -> HttpResponse:
    """The attempt's next unanswered question; the results once all are answered."""
    state = attempts.progress(attempts.owned_attempt(learner_of(request), pk))
    question = state.next_question
    if question is None:
        return go_to(request, reverse("quiz:results", args=[pk]))
    review = attempts.review(state, question)
    context = {
        "progress": state,
        "question": question,
        "review": review,
        "hint_revealed": review.hint_revealed,
    }
    return render(request, f"{PAGE}#question" if request.htmx else PAGE, context)


def render_feedback(request: HttpRequest, state: Progress, question_id: int) -> HttpResponse:
    review = attempts.feedback(state, question_id)
    if not review.answered:
        return go_to(request, attempt_url(state.attempt))
    context = {"progress": state, "question": review.question, "review": review}
    return render(request, f"{PAGE}#feedback" if request.htmx else PAGE, context)


@require_GET
@vary_on_headers("HX-Request")
@shows_refusals
def feedback(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """How the learner did on one answered question, with the worked solution."""
    state = attempts.progress(attempts.owned_attempt(learner_of(request), pk))
    return render_feedback(request, state, question_id)


@require_POST
@vary_on_headers("HX-Request")
@shows_refusals
def answer(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    attempt = attempts.owned_attempt(learner_of(request), pk)
    state = attempts.record_answer(attempt, question_id, request.POST.get("choice"))
    if not request.htmx:
        return redirect(feedback_url(attempt, question_id))
    response = render_feedback(request, state, question_id)
    response["HX-Push-Url"] = feedback_url(attempt, question_id)
    return response


@require_POST
@vary_on_headers("HX-Request")
@shows_refusals
def hint(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    attempt = attempts.owned_attempt(learner_of(request), pk)
    question = attempts.reveal_hint(attempt, question_id)
    if not request.htmx:
        return redirect(attempt_url(attempt) + "#quiz-hint")
    context = {"question": question, "hint_revealed": True}
    return render(request, f"{PAGE}#hint", context)


@require_GET
@shows_refusals
def attempt_results(request: HttpRequest, pk: int) -> HttpResponse:
    state = attempts.progress(attempts.owned_attempt(learner_of(request), pk))
    if not state.complete:
        return redirect(attempt_url(state.attempt))
    attempts.finish_if_complete(state)
    return render(request, "quiz/results.html", {"results": attempts.results(state)})
