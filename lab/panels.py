"""What each experiment's section of /lab/ shows: its form, the learner's figures, charts."""

from dataclasses import dataclass, field
from typing import Any

from django.forms import Form

from lab.charts import cold_warm_chart, servers_chart, stampede_chart, survival_chart
from lab.forms import EXPERIMENT_FORMS, experiment_form
from lab.models import Result


@dataclass
class ExperimentPanel:
    """What one experiment's section on the page shows."""

    kind: str
    title: str
    form: Form
    figures: dict[str, Any] | None
    error: str = ""
    charts: dict[str, Any] = field(default_factory=dict)


def charts_for(kind: str, figures: dict[str, Any]) -> dict[str, Any]:
    if kind == "cold-warm":
        return {"times": cold_warm_chart(figures)}
    if kind == "servers":
        return {
            "hit_ratio": servers_chart(figures, "hit_ratio"),
            "db_queries": servers_chart(figures, "db_queries"),
        }
    if kind == "stampede":
        return {
            "rebuilt": stampede_chart(figures, "rebuilt"),
            "slowest": stampede_chart(figures, "slowest_ms", " ms"),
        }
    if kind == "full-cache":
        return {"survival": survival_chart(figures)}
    return {}


def experiment_panel(
    kind: str, results: dict, form: Form | None = None, error: str = ""
) -> ExperimentPanel:
    figures = results.get(kind)
    return ExperimentPanel(
        kind=kind,
        title=Result.Kind(kind).label,
        form=form or experiment_form(kind),
        figures=figures,
        error=error,
        charts=charts_for(kind, figures) if figures else {},
    )


def all_panels(
    results: dict[str, dict[str, Any]], bound: ExperimentPanel | None = None
) -> list[ExperimentPanel]:
    """Every experiment's panel; `bound` (the one just submitted) replaces its default."""
    return [
        bound if bound and bound.kind == kind else experiment_panel(kind, results)
        for kind in EXPERIMENT_FORMS
    ]
