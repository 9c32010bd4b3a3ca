from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from sandbox.models import Explanation


@admin.register(Explanation)
class ExplanationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "pattern", "order", "try_it"]
    list_editable = ["order"]
    search_fields = ["methods", "backends", "explanation", "pattern"]
    fields = ["methods", "backends", "kind", "pattern", "explanation", "source", "example", "order"]

    @admin.display(description="Example")
    def try_it(self, explanation: Explanation) -> str:
        url = f"{reverse('sandbox:index')}?{urlencode({'code': explanation.example})}"
        return format_html('<a href="{}">run in the sandbox</a>', url)
