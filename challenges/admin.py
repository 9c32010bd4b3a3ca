from django.contrib import admin

from challenges.models import Challenge, Question, Result


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["order", "kind", "line", "key", "backends", "choices", "tolerance"]


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "lesson", "order", "question_count"]
    list_editable = ["order"]
    list_filter = ["lesson"]
    search_fields = ["title", "slug", "intro", "code"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuestionInline]

    @admin.display(description="Questions")
    def question_count(self, challenge: Challenge) -> int:
        return challenge.questions.count()


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = [
        "challenge",
        "user",
        "visitor",
        "score",
        "out_of",
        "best_score",
        "runs",
        "checked_at",
    ]
    list_filter = ["challenge"]
    readonly_fields = ["checked_at"]
