from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lessons.library import current_outline, lesson_cards, lesson_page
from lessons.progress import opened_slugs, remember_opened


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    cards = lesson_cards(current_outline())
    opened = opened_slugs(request)
    return render(
        request,
        "lessons/index.html",
        {
            "cards": cards,
            "opened": opened,
            "opened_count": sum(card["slug"] in opened for card in cards),
        },
    )


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    outline = current_outline()
    # The cached page, rendered by lessons/detail.html; its Markdown was sanitised by nh3.
    response = HttpResponse(lesson_page(slug, outline))
    remember_opened(request, response, slug, outline.slugs)
    return response
