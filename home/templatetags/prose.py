"""`{% load prose %}`: `{{ lessons|length|in_words|capfirst }}` and `{{ lessons|quoted:"title" }}`,
so a count or a list of names in a sentence follows the database."""

from collections.abc import Iterable
from typing import Any

from django import template

from home import prose

register = template.Library()


@register.filter
def in_words(count: int) -> str:
    return prose.in_words(int(count))


@register.filter
def quoted(items: Iterable[Any], attribute: str) -> str:
    """Each item's `attribute`, quoted, in a sentence: “A”, “B” and “C”."""
    return prose.quoted_list(str(getattr(item, attribute)) for item in items)
