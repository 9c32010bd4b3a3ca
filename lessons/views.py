from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from lessons.library import find_place, rendered_body
from lessons.models import Lesson
from lessons.progress import opened_slugs, remember_opened

# The quiz app serves the practice questions here (its URL is fixed by the course plan).
PRACTICE_URL = "/quiz/practice/"


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    lessons = list(Lesson.objects.all())
    opened = opened_slugs(request)
    return render(
        request,
        "lessons/index.html",
        {
            "lessons": lessons,
            "opened": opened,
            "opened_count": sum(lesson.slug in opened for lesson in lessons),
        },
    )


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = find_place(slug)
    body = rendered_body(place.lesson)
    response = render(
        request,
        "lessons/detail.html",
        {
            "place": place,
            "lesson": place.lesson,
            # Sanitised by nh3 in lessons.rendering before it was cached.
            "body_html": mark_safe(body["html"]),
            "toc": body["toc"],
            "minutes": body["minutes"],
            "practice_url": PRACTICE_URL,
        },
    )
    remember_opened(request, response, place.lesson.slug, place.slugs)
    return response
