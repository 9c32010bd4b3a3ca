from django.urls import path

from quiz import views

app_name = "quiz"

urlpatterns = [
    path("", views.index, name="index"),
    path("review/", views.review, name="review"),
    path("lessons/<slug:slug>/", views.lesson_test, name="lesson"),
    path("attempts/<int:pk>/", views.attempt_step, name="attempt"),
    path("attempts/<int:pk>/results/", views.attempt_results, name="results"),
    path("attempts/<int:pk>/questions/<int:question_id>/", views.question, name="question"),
    path("attempts/<int:pk>/questions/<int:question_id>/answer/", views.answer, name="answer"),
    path("attempts/<int:pk>/questions/<int:question_id>/hint/", views.hint, name="hint"),
    path("<slug:slug>/", views.quiz_detail, name="quiz"),
    path("<slug:slug>/start/", views.start, name="start"),
]
