from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from flashcards.models import Card
from flashcards.scheduling import RATINGS, UnknownRating, next_card, queue_of, rating_named, review
from learners.identity import ensure_learner, learner_of
from sitecache.http import never_stored


@require_safe
@never_stored
@vary_on_headers("HX-Request")
def index(request: HttpRequest) -> HttpResponse:
    return render_deck(request, "flashcards/index.html#deck" if request.htmx else None)


@require_POST
@never_cache
@vary_on_headers("HX-Request")
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    card = get_object_or_404(Card, pk=pk)
    try:
        rating = rating_named(request.POST.get("rating"))
    except UnknownRating as error:
        return render_deck(request, None, error=str(error), status=400)
    now = timezone.now()
    scheduled = review(ensure_learner(request), card, rating, now)
    note = f"{rating.name}: you will see that card again in {timeuntil(scheduled.due, now)}."
    if not request.htmx:
        messages.success(request, note)
        return redirect("flashcards:index")
    return render_deck(request, "flashcards/index.html#deck", note=note)


def render_deck(
    request: HttpRequest,
    template: str | None,
    *,
    note: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    learner, now = learner_of(request), timezone.now()
    context = {
        "card": next_card(learner, now),
        "queue": queue_of(learner, now),
        "ratings": RATINGS,
        "note": note,
        "error": error,
    }
    return render(request, template or "flashcards/index.html", context, status=status)
