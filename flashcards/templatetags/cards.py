import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

BACKTICKED = re.compile(r"`([^`]+)`")


@register.filter
def inline_code(text: str) -> SafeString:
    """A card's plain text with `backticked` parts shown as code (everything escaped)."""
    return mark_safe(BACKTICKED.sub(r"<code>\1</code>", escape(text)))
