from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import condition, require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from learners.identity import ensure_learner, learner_of
from lessons.models import Lesson
from lessons.outline import Place, outline_of
from lessons.page_versions import LESSON_PAGES, lesson_etag
from lessons.progress import has_read, lessons_read, mark_read
from sitecache.http import never_stored, shared_page


@require_safe
@never_stored
def index(request: HttpRequest) -> HttpResponse:
    lessons = list(Lesson.objects.defer("body", "body_html", "toc"))
    read = lessons_read(learner_of(request))
    return render(
        request,
        "lessons/index.html",
        {
            "lessons": lessons,
            "read": read,
            "read_count": sum(lesson.slug in read for lesson in lessons),
        },
    )


@require_safe
@shared_page
@condition(etag_func=lesson_etag)
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The same page for every learner: it never reads the session (see the template), so
    it is rendered once per version for everyone (lessons.page_versions)."""
    place = place_of(request, slug)
    etag = lesson_etag(request, slug)
    if etag is None:  # DEBUG: templates may change under the process
        return HttpResponse(render_lesson(request, place))
    return HttpResponse(
        LESSON_PAGES.get_or_build(lambda: render_lesson(request, place), part=f"{slug}:{etag}")
    )


def render_lesson(request: HttpRequest, place: Place) -> str:
    lesson = get_object_or_404(Lesson.objects.defer("body"), pk=place.entry.pk)
    return render_to_string("lessons/detail.html", {"lesson": lesson, "place": place}, request)


@require_http_methods(["GET", "HEAD", "POST"])
@never_stored
@vary_on_headers("HX-Request")
def read(request: HttpRequest, slug: str) -> HttpResponse:
    """Whether this learner has read the lesson, and the button that marks it read: a panel
    the lesson page loads with htmx, or a page of its own without JavaScript."""
    place = place_of(request, slug)
    lesson = get_object_or_404(Lesson.objects.only("slug", "title"), pk=place.entry.pk)
    if request.method == "POST":
        mark_read(ensure_learner(request), lesson)
        if not request.htmx:
            return redirect("lessons:read", slug)
    context = {"lesson": lesson, "place": place, "is_read": has_read(learner_of(request), lesson)}
    return render(
        request, "lessons/read.html#panel" if request.htmx else "lessons/read.html", context
    )


def place_of(request: HttpRequest, slug: str) -> Place:
    place = outline_of(request).place(slug)
    if place is None:
        raise Http404(f"There is no lesson called “{slug}”.")
    return place
