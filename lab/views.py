import os
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from lab.experiments import (
    ExperimentBusy,
    LockUnavailable,
    ShopMissing,
    one_at_a_time,
    run_timed,
)
from lab.figures import topic_context
from lab.floor import FLOOR_BODY, BadProbe, make_round_trips, round_trips
from lab.forms import EXPERIMENT_FORMS, experiment_form, first_error
from lab.limits import LimitsUnavailable, TooManyExperiments, experiment_capacity
from lab.metering import Meter, server_timed
from lab.own_servers import CannotRun
from lab.panels import ExperimentPanel, all_panels, experiment_panel
from lab.report import (
    BACKEND_LABELS,
    DEFAULT_BACKEND,
    REPORT_QUERIES,
    UnknownBackend,
    fetch_report,
)
from lab.results import learner_results, save_result
from lab.topics import TOPICS
from learners.identity import ensure_learner, learner_of
from ops.clients import client_address
from ops.health import CACHE_SERVER_ERRORS, explain_cache_server_error
from sitecache.http import never_stored, shared_page
from sitecache.overview import overview


def experiment_panels(
    request: HttpRequest, bound: ExperimentPanel | None = None
) -> list[ExperimentPanel]:
    return all_panels(learner_results(learner_of(request)), bound)


@server_timed
@require_safe
@never_stored
@vary_on_headers("HX-Request")
def index(request: HttpRequest, meter: Meter) -> HttpResponse:
    backend = request.GET.get("backend", DEFAULT_BACKEND)
    context: dict[str, Any] = {
        "backend": backend,
        "backends": BACKEND_LABELS,
        "report_queries": REPORT_QUERIES,
        "meter": meter,
        "pid": os.getpid(),
    }
    status = 200
    try:
        context["fetched"] = fetch_report(backend, meter)
    except UnknownBackend as error:
        context["report_error"] = str(error)
        status = 400
    except CACHE_SERVER_ERRORS as error:
        context["report_error"] = explain_cache_server_error(error)
        status = 503
    if request.htmx:
        return render(request, "lab/index.html#report-section", context, status=status)
    context["panels"] = experiment_panels(request)
    return render(request, "lab/index.html", context, status=status)


def render_panel(request: HttpRequest, panel: ExperimentPanel, status: int = 200) -> HttpResponse:
    """The experiment's section alone for htmx, else the whole page around it."""
    if request.htmx:
        return render(request, "lab/index.html#experiment", {"panel": panel}, status=status)
    context = {
        "panels": experiment_panels(request, bound=panel),
        "backends": BACKEND_LABELS,
        "backend": DEFAULT_BACKEND,
        "report_queries": REPORT_QUERIES,
    }
    return render(request, "lab/index.html", context, status=status)


@server_timed
@require_POST
@vary_on_headers("HX-Request")
def experiment(request: HttpRequest, meter: Meter, kind: str) -> HttpResponse:
    if kind not in EXPERIMENT_FORMS:
        raise Http404(f"There is no experiment called {kind!r}.")
    form = experiment_form(kind, request.POST)
    learner = ensure_learner(request)

    def refused(message: str, status: int) -> HttpResponse:
        panel = experiment_panel(kind, learner_results(learner), form, message)
        return render_panel(request, panel, status)

    if not form.is_valid():
        return refused(first_error(form), 400)
    try:
        with one_at_a_time(learner.namespace), experiment_capacity(client_address(request)):
            figures = run_timed(kind, request.get_host(), **form.cleaned_data)
    except (ExperimentBusy, ShopMissing) as error:
        return refused(str(error), 409)
    except TooManyExperiments as error:
        response = refused(str(error), 429)
        response["Retry-After"] = str(error.retry_after)
        return response
    except (LockUnavailable, LimitsUnavailable, CannotRun) as error:
        return refused(str(error), 503)
    except CACHE_SERVER_ERRORS as error:
        return refused(explain_cache_server_error(error), 503)
    save_result(kind, learner, figures)
    if request.htmx:
        return render_panel(request, experiment_panel(kind, {kind: figures}, form))
    return redirect(reverse("lab:index") + f"#{kind}")


@require_safe
@shared_page
def floor(request: HttpRequest) -> HttpResponse:
    try:
        make_round_trips(round_trips(request.GET))
    except BadProbe as error:
        return HttpResponseBadRequest(str(error))
    except CACHE_SERVER_ERRORS as error:
        return HttpResponse(explain_cache_server_error(error), status=503)
    return HttpResponse(FLOOR_BODY, content_type="text/plain; charset=utf-8")


@require_safe
@never_stored
@vary_on_headers("HX-Request")
def figures(request: HttpRequest) -> HttpResponse:
    """The latest measured figures: a fragment the "Why cache" lesson loads with htmx, or a
    page of its own for a link followed without JavaScript. Not part of the lesson's cached
    page, so the lesson always shows the newest measurement."""
    template = "lab/figures.html#latest" if request.htmx else "lab/figures.html"
    return render(request, template)


@require_safe
@never_stored
@vary_on_headers("HX-Request")
def topic_figures(request: HttpRequest, topic: str) -> HttpResponse:
    """One topic's newest figures with their date: the fragment a lesson embeds
    (```lab-figures TOPIC```), or a page of its own for a link followed without JavaScript."""
    if topic not in TOPICS:
        raise Http404(f"There are no figures about {topic!r}.")
    template = f"lab/figures/{topic}.html" if request.htmx else "lab/figures/page.html"
    return render(request, template, topic_context(topic))


@require_safe
@never_stored
def this_site(request: HttpRequest) -> HttpResponse:
    """How this site caches: every cache it keeps, why each is safe, and live counts."""
    return render(request, "lab/this_site.html", {"overview": overview()})
