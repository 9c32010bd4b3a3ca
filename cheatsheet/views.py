from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cheatsheet.sheet import cheat_sheet
from sitecache.http import never_stored


@require_safe
@never_stored
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "cheatsheet/index.html", {"groups": cheat_sheet()})
