from django.contrib import admin

from flashcards.models import Card, Review


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["front", "lesson", "topic", "on_cheat_sheet", "order"]
    list_filter = ["lesson", "topic", "on_cheat_sheet"]
    search_fields = ["front", "back", "sheet_label"]
    fields = [
        "lesson",
        "section",
        "topic",
        "front",
        "back",
        "on_cheat_sheet",
        "sheet_label",
        "order",
    ]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["card", "user", "due", "last_rating", "reviews"]
    list_filter = ["last_rating"]
    raw_id_fields = ["card", "user"]
    exclude = ["visitor"]
