from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from lessons.models import Lesson
from quiz.models import Quiz
from sitecache.http import never_stored


@require_safe
@never_stored
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "lessons": Lesson.objects.only("title"),
        "quizzes": Quiz.objects.only("title"),
    }
    return render(request, "home/home.html", context)
