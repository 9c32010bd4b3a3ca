from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from sandbox.models import Explanation


@admin.register(Explanation)
class ExplanationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "pattern", "states_behaviour", "order", "try_it"]
    list_editable = ["order"]
    search_fields = ["methods", "backends", "explanation", "pattern"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "methods",
                    "backends",
                    "kind",
                    "pattern",
                    "explanation",
                    "source",
                    "example",
                    "order",
                ]
            },
        ),
        (
            "Check on the live servers",
            {"fields": ["states_behaviour", "check_code", "check_facts"]},
        ),
    ]

    @admin.display(description="Example")
    def try_it(self, explanation: Explanation) -> str:
        url = f"{reverse('sandbox:index')}?{urlencode({'code': explanation.example})}"
        return format_html('<a href="{}">run in the sandbox</a>', url)
