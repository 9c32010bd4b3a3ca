from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import condition, require_GET
from django.views.decorators.vary import vary_on_cookie

from cachelab.learners import learner_of
from lessons import page_versions
from lessons.models import Lesson
from lessons.outline import Place, outline_of
from lessons.page_versions import lesson_etag
from lessons.progress import lessons_read


@require_GET
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


@require_GET
@vary_on_cookie
@condition(etag_func=lesson_etag)
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = outline_of(request).place(slug)
    if place is None:
        raise Http404(f"There is no lesson called “{slug}”.")
    memo = page_versions.FIRST_VISITS
    key = memo.key(request, place)
    kept = memo.get(key) if key else None
    if kept is not None:
        return HttpResponse(kept)
    response = render_lesson(request, place)
    if key:
        memo.keep(key, request, response.content)
    return response


def render_lesson(request: HttpRequest, place: Place) -> HttpResponse:
    lesson = get_object_or_404(Lesson.objects.defer("body"), pk=place.entry.pk)
    return render(request, "lessons/detail.html", {"lesson": lesson, "place": place})
