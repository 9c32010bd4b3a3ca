from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from learners.identity import ensure_learner, learner_of
from quiz.links import sandbox_url
from sitecache.http import never_stored
from spotbug.answers import NotALine, answers_of, line_picked, record_answer, score_of
from spotbug.models import Snippet


@require_safe
@never_stored
def index(request: HttpRequest) -> HttpResponse:
    learner = learner_of(request)
    answers = answers_of(learner)
    rows = [(each, answers.get(each.pk)) for each in Snippet.objects.select_related("lesson")]
    context = {"rows": rows, "score": score_of(learner)}
    return render(request, "spotbug/index.html", context)


@require_safe
@never_stored
def snippet(request: HttpRequest, pk: int) -> HttpResponse:
    return render_snippet(
        request, get_object_or_404(Snippet.objects.select_related("lesson"), pk=pk)
    )


@require_POST
@never_cache
@vary_on_headers("HX-Request")
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = get_object_or_404(Snippet.objects.select_related("lesson"), pk=pk)
    try:
        line = line_picked(chosen, request.POST.get("line"))
    except NotALine as error:
        return render_snippet(request, chosen, error=str(error), status=400)
    record_answer(ensure_learner(request), chosen, line)
    if not request.htmx:
        return redirect("spotbug:snippet", chosen.pk)
    return render_snippet(request, chosen, partial=True)


def render_snippet(
    request: HttpRequest,
    chosen: Snippet,
    *,
    error: str = "",
    status: int = 200,
    partial: bool = False,
) -> HttpResponse:
    answer = answers_of(learner_of(request)).get(chosen.pk)
    following = Snippet.objects.filter(order__gt=chosen.order).first()
    context = {
        "snippet": chosen,
        "answer": answer,
        "error": error,
        "next": following,
        "see_it_url": sandbox_url(chosen.sandbox_code) if chosen.sandbox_code else "",
    }
    template = "spotbug/snippet.html#exercise" if partial else "spotbug/snippet.html"
    return render(request, template, context, status=status)
