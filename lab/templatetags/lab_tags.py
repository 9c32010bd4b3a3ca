"""`{% load lab_tags %}{% lab_latest_figures %}`: the lab's newest measurements, for lessons."""

from typing import Any

from django import template

from lab.report import REPORT_QUERIES
from lab.results import latest_results

register = template.Library()


def _by_backend(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["backend"]: row for row in rows}


@register.filter
def cents(value: int | None) -> str:
    """1234567 -> "$12,345.67"."""
    return f"${(value or 0) / 100:,.2f}"


@register.inclusion_tag("lab/latest_figures.html")
def lab_latest_figures() -> dict[str, Any]:
    latest = latest_results()
    context: dict[str, Any] = {"report_queries": REPORT_QUERIES}
    if cold_warm := latest.get("cold-warm"):
        context["cold_warm"] = cold_warm
        context["cold_warm_rows"] = _by_backend(cold_warm.figures["backends"])
    if servers := latest.get("servers"):
        context["servers"] = servers
        context["locmem"] = servers.figures["series"]["locmem"]
        context["shared"] = servers.figures["series"]["redis"]
    return context
