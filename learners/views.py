from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from learners.identity import learner_of
from learners.standing import standing_of


@require_GET
@never_cache
def progress(request: HttpRequest) -> HttpResponse:
    learner = learner_of(request)
    context = {"learner": learner, "standing": standing_of(learner)}
    return render(request, "learners/progress.html", context)
