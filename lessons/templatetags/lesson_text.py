"""`{{ lesson.body_html|site_facts }}`: a lesson's HTML with the running site's facts filled in."""

from django import template
from django.utils.safestring import SafeString

from lessons.rendering import with_site_facts

register = template.Library()


@register.filter
def site_facts(html: str) -> SafeString:
    return with_site_facts(html)
