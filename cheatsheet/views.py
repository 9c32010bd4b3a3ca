from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cheatsheet.sheet import cheat_sheet
from sitecache.http import learner_page


@require_safe
@learner_page
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "cheatsheet/index.html", {"groups": cheat_sheet()})
