from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from challenges import service
from challenges.forms import form_questions
from challenges.models import Challenge
from challenges.questions import form_predictions
from challenges.results import challenge_progress
from learners.identity import learner_of
from sandbox.service import SandboxError
from sandbox.timing import Timings
from sandbox.views import api_body, json_error
from sitecache.http import never_stored


@require_safe
@never_stored
def index(request: HttpRequest) -> HttpResponse:
    rows = challenge_progress(learner_of(request))
    return render(request, "challenges/index.html", {"rows": rows})


def page_context(challenge: Challenge, values: dict[str, Any], **extra: Any) -> dict[str, Any]:
    questions = service.questions_of(challenge)
    return {
        "challenge": challenge,
        "lines": challenge.code.splitlines(),
        "questions": form_questions(questions, values, extra.get("checked")),
        **extra,
    }


@require_safe
@never_stored
def challenge(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Challenge.objects.select_related("lesson"), slug=slug)
    return render(request, "challenges/challenge.html", page_context(found, {}))


@require_POST
@vary_on_headers("HX-Request")
def run(request: HttpRequest, slug: str) -> HttpResponse:
    """The page's form: the graded predictions (htmx: the form and results), kept as typed."""
    found = get_object_or_404(Challenge.objects.select_related("lesson"), slug=slug)
    given = form_predictions(service.questions_of(found), request.POST)
    timings = Timings()
    template = "challenges/challenge.html#graded" if request.htmx else "challenges/challenge.html"
    try:
        checked = service.check(request, found, given, timings)
    except SandboxError as error:
        context = page_context(found, request.POST, error=error.message)
        return render(request, template, context, status=error.status)
    response = render(request, template, page_context(found, request.POST, checked=checked))
    response["Server-Timing"] = timings.header()
    return response


# Like the sandbox's API, for scripts: no CSRF token. It acts only in the namespace of the
# session cookie it comes with (SameSite=Lax), a cross-site form cannot send
# application/json without a preflight this site never grants, and it is rate-limited.
@csrf_exempt
@require_POST
def check(request: HttpRequest, slug: str) -> JsonResponse:
    found = Challenge.objects.filter(slug=slug).select_related("lesson").first()
    if found is None:
        return JsonResponse({"error": f"No challenge {slug!r}: see /challenges/."}, status=404)
    timings = Timings()
    try:
        body = api_body(request)
        if "predictions" not in body:
            raise SandboxError('Send {"predictions": {"q1": {"redis": ...}, ...}}.')
        checked = service.check(request, found, body["predictions"], timings)
    except SandboxError as error:
        return json_error(error)
    response = JsonResponse(checked.as_dict())
    response["Server-Timing"] = timings.header()
    return response
