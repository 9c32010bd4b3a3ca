"""Admin: content with inline options, solution and steps; per-question first-attempt
statistics so an instructor sees which questions mislead."""

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from quiz.models import (
    Answer,
    Attempt,
    AttemptQuestion,
    Choice,
    HintUse,
    Question,
    Quiz,
    Solution,
    Step,
)
from quiz.scoring import percent
from quiz.statistics import first_attempt_counts, option_shares, share_correct


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["order", "difficulty", "lesson", "section", "prompt"]
    extra = 0
    show_change_link = True


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "order"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    fields = ["order", "text", "is_correct", "why"]
    extra = 0


class SolutionInline(admin.StackedInline):
    model = Solution
    fields = ["final_answer", "quick_check", "hint", "common_mistakes"]


class StepInline(admin.TabularInline):
    model = Step
    fields = ["order", "title", "text"]
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "quiz", "difficulty", "lesson", "first_attempts", "first_correct"]
    list_filter = ["quiz", "difficulty", "lesson"]
    search_fields = ["prompt"]
    readonly_fields = ["option_statistics"]
    inlines = [ChoiceInline, SolutionInline, StepInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        first = Q(answers__attempt__is_first=True)
        return (
            super()
            .get_queryset(request)
            .select_related("quiz")
            .annotate(
                first_count=Count("answers", filter=first),
                first_right=Count("answers", filter=first & Q(answers__choice__is_correct=True)),
            )
        )

    @admin.display(description="First attempts", ordering="first_count")
    def first_attempts(self, question: Question) -> int:
        return question.first_count

    @admin.display(description="Correct on first attempt")
    def first_correct(self, question: Question) -> str:
        if not question.first_count:
            return "-"
        return f"{percent(question.first_right, question.first_count)}%"

    @admin.display(description="How first attempts answered")
    def option_statistics(self, question: Question) -> str:
        if question.pk is None:
            return "-"
        choices = list(question.choices.all())
        counts = first_attempt_counts(question.pk)
        correct = share_correct(counts, {choice.pk for choice in choices if choice.is_correct})
        shares = option_shares(counts, [choice.pk for choice in choices])
        rows = format_html_join(
            "",
            "<li>{}{}: {} ({}%)</li>",
            (
                (
                    choice.text,
                    " [correct]" if choice.is_correct else "",
                    shares[choice.pk].count,
                    shares[choice.pk].percent,
                )
                for choice in choices
            ),
        )
        summary = f"{correct.percent}% correct of {sum(counts.values())} first attempts."
        return format_html("<p>{}</p><ul>{}</ul>", summary, rows)


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["question", "choice", "answered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class AttemptQuestionInline(admin.TabularInline):
    model = AttemptQuestion
    fields = ["order", "question"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "quiz", "lesson", "user", "is_first", "started_at", "finished_at"]
    list_filter = ["kind", "quiz", "is_first"]
    # An anonymous learner's visitor id is left out: it is how their session finds its work.
    fields = ["kind", "quiz", "lesson", "user", "is_first", "started_at", "finished_at"]
    readonly_fields = fields
    inlines = [AttemptQuestionInline, AnswerInline]


admin.site.register(HintUse)
