from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from learn.modes import entries_for
from learners.identity import learner_of
from sitecache.http import never_stored


@require_safe
@never_stored
def hub(request: HttpRequest) -> HttpResponse:
    """Every installed mode: what it is for, about how long, and where this learner stands."""
    learner = learner_of(request)
    return render(request, "learn/hub.html", {"entries": entries_for(learner), "learner": learner})
