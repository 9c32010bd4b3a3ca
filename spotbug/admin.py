from django.contrib import admin

from spotbug.models import Answer, Snippet


@admin.register(Snippet)
class SnippetAdmin(admin.ModelAdmin):
    list_display = ["order", "title", "lesson", "kind", "faulty_line"]
    list_display_links = ["title"]
    list_filter = ["lesson", "kind"]
    search_fields = ["title", "code", "explanation"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["snippet", "user", "line", "right", "first_try_right", "tries"]
    list_filter = ["right", "first_try_right"]
    raw_id_fields = ["snippet", "user"]
    exclude = ["visitor"]
