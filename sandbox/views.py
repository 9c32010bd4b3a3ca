import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from learners.identity import learner_of
from sandbox import history, scenario
from sandbox.calls import ALLOWED, MAX_CODE_CHARS
from sandbox.catalogue import CACHE_BACKENDS, NAMES
from sandbox.connections import SERVERS
from sandbox.results import Run, process_label
from sandbox.service import (
    RunRequest,
    SandboxError,
    checked_details,
    checked_request,
    execute,
    execute_scenario,
    held_now,
)
from sandbox.timing import Timings
from sitecache.http import never_stored

DEFAULT_CODE = "cache.set('greeting', 'hello', timeout=300)\ncache.get('greeting')"
MAX_API_BODY_BYTES = 64 * 1024


def learner_history(request: HttpRequest) -> list[dict[str, Any]]:
    learner = learner_of(request)
    return history.entries(learner.namespace) if learner.is_known else []


def page_context(request: HttpRequest, run_request: RunRequest, **extra: Any) -> dict[str, Any]:
    return {
        "code": run_request.code,
        "chosen_backends": run_request.backends,
        "server": run_request.server,
        "backend_choices": CACHE_BACKENDS,
        "servers": SERVERS,
        "process": process_label(),
        "allowed": ALLOWED,
        "history": learner_history(request),
        **extra,
    }


def results_response(
    request: HttpRequest, run_request: RunRequest, status: int = 200, **extra: Any
) -> HttpResponse:
    """The results partial (plus the history, out of band) for htmx, else the whole page."""
    context = page_context(request, run_request, **extra)
    template = "sandbox/results_response.html" if request.htmx else "sandbox/index.html"
    return render(request, template, context, status=status)


@require_safe
@never_stored
def index(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", DEFAULT_CODE)
    error = None
    if len(code) > MAX_CODE_CHARS:
        error = f"The linked code is longer than {MAX_CODE_CHARS:,} characters; it was cut."
        code = code[:MAX_CODE_CHARS]
    return render(
        request, "sandbox/index.html", page_context(request, RunRequest(code), error=error)
    )


def form_request(request: HttpRequest) -> RunRequest:
    """The form's fields; bad ones keep what the learner typed so nothing is lost."""
    return RunRequest(
        request.POST.get("code", ""),
        request.POST.getlist("backends"),
        request.POST.get("server", "A"),
    )


@require_POST
@vary_on_headers("HX-Request")
def run(request: HttpRequest) -> HttpResponse:
    typed = form_request(request)
    timings = Timings()
    try:
        run_request = checked_request(typed.code, typed.backends, typed.server)
        result = execute(request, run_request, timings)
    except SandboxError as error:
        return results_response(request, typed, status=error.status, error=error.message)
    history.record(learner_of(request).namespace, run_request.code, result)
    response = results_response(request, run_request, runs=[result])
    response["Server-Timing"] = timings.header()
    return response


@require_POST
@vary_on_headers("HX-Request")
def run_scenario(request: HttpRequest) -> HttpResponse:
    shown = RunRequest(f"{scenario.SET_CODE}  # on A\n{scenario.GET_CODE}  # on B")
    timings = Timings()
    try:
        outcome = execute_scenario(request, timings)
    except SandboxError as error:
        return results_response(request, shown, status=error.status, error=error.message)
    runs = [outcome.on_a, outcome.on_b]
    response = results_response(request, shown, scenario=outcome, runs=runs)
    response["Server-Timing"] = timings.header()
    return response


@require_safe
@never_stored
@vary_on_headers("HX-Request")
def details(request: HttpRequest) -> HttpResponse:
    """A cell's details, fetched when the learner opens them (htmx), or as a page of its own
    (the no-JS link): what the server holds now and, for Memcached, a read-back. A run never
    sends these commands; this request sends only them."""
    query = request.GET
    context: dict[str, Any] = {
        "backend": query.get("backend", ""),
        "server": query.get("server", "A"),
        "code": query.get("call", ""),
    }
    timings, status = Timings(), 200
    try:
        asked, call = checked_details(context["backend"], context["server"], context["code"])
        context["outcome"] = held_now(request, asked, call, timings)
    except SandboxError as error:
        context["error"], status = error.message, error.status
    template = "sandbox/details.html#held" if request.htmx else "sandbox/details.html"
    response = render(request, template, context, status=status)
    response["Server-Timing"] = timings.header()
    return response


@require_POST
@vary_on_headers("HX-Request")
def clear_history(request: HttpRequest) -> HttpResponse:
    learner = learner_of(request)
    if learner.is_known:
        history.clear(learner.namespace)
    if request.htmx:
        return render(request, "sandbox/index.html#history", {"history": []})
    return redirect(reverse("sandbox:index") + "#history")


def json_error(error: SandboxError) -> JsonResponse:
    return JsonResponse(error.as_dict(), status=error.status)


def api_body(request: HttpRequest) -> dict[str, Any]:
    if len(request.body) > MAX_API_BODY_BYTES:
        raise SandboxError(f"The request body is over {MAX_API_BODY_BYTES:,} bytes.", 413)
    if request.content_type != "application/json":
        raise SandboxError("Send a JSON object with Content-Type: application/json.")
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise SandboxError(f"The body is not valid JSON: {error}.") from None
    if not isinstance(body, dict):
        raise SandboxError('The body must be a JSON object such as {"code": "cache.get(\'k\')"}.')
    return body


# The API is for scripts, so it takes no CSRF token. It is still safe: it acts only in the
# namespace of the session cookie it is sent with, that cookie is SameSite=Lax (a cross-site
# POST does not carry it), a cross-site form cannot send Content-Type: application/json
# without a CORS preflight this site never grants, and every call is rate-limited.
@csrf_exempt
@require_POST
def api_run(request: HttpRequest) -> JsonResponse:
    timings = Timings()
    try:
        body = api_body(request)
        run_request = checked_request(
            body.get("code"), body.get("backends", list(NAMES)), body.get("server", "A")
        )
        result: Run = execute(request, run_request, timings, inspect=body.get("inspect") is True)
    except SandboxError as error:
        return json_error(error)
    response = JsonResponse(result.as_dict())
    response["Server-Timing"] = timings.header()
    return response
