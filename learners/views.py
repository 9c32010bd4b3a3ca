from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from learners.identity import learner_of
from learners.standing import standing_of
from sitecache.http import never_stored


@require_safe
@never_stored
def progress(request: HttpRequest) -> HttpResponse:
    learner = learner_of(request)
    context = {"learner": learner, "standing": standing_of(learner)}
    return render(request, "learners/progress.html", context)
