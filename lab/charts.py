"""Geometry for the server-rendered SVG charts (the templates draw it; no chart library)."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lab.stampede import STRATEGIES

WIDTH = 640
HEIGHT = 260
LEFT = 56
RIGHT = 120
TOP = 24
BOTTOM = 48
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
BASELINE = TOP + PLOT_HEIGHT
SERIES_STYLES = {  # colour and dash, so the lines differ without colour too
    "locmem": ("#a11d1d", "6 4"),
    "redis": ("#0b5cad", ""),
    "memcached": ("#17692f", "2 3"),
}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    css: str

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above value: round axis ticks."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _scale(value: float, top_value: float) -> float:
    return 0.0 if top_value <= 0 else value / top_value * PLOT_HEIGHT


def _y_ticks(top_value: float, unit: str = "", count: int = 4) -> list[Tick]:
    def label(value: float) -> str:
        return f"{value:.0%}" if unit == "%" else f"{value:.3g}{unit}"

    return [
        Tick(BASELINE - PLOT_HEIGHT * i / count, label(top_value * i / count))
        for i in range(count + 1)
    ]


def _spread_labels(lines: list[dict[str, Any]], gap: float = 14) -> None:
    """Series that end at the same point get their names one under the other."""
    previous = float("-inf")
    for line in sorted(lines, key=lambda line: line["end"][1]):
        line["label_y"] = max(line["end"][1] + 4, previous + gap)
        previous = line["label_y"]


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    css: str


def grouped_bar_chart(
    groups: list[str],
    series: list[Series],
    value: Callable[[int, str], float | None],
    unit: str,
) -> dict[str, Any]:
    """One group of bars per entry of `groups`, one bar per series; value(group_index, key)
    is None where a series does not apply to a group (no bar is drawn)."""
    values = {
        (index, one.key): value(index, one.key) for index in range(len(groups)) for one in series
    }
    top_value = nice_ceiling(max((v for v in values.values() if v is not None), default=0))
    group_width = PLOT_WIDTH / len(groups)
    bar_width = group_width * 0.7 / len(series)
    bars = []
    for (index, key), measured in values.items():
        if measured is None:
            continue
        offset = [one.key for one in series].index(key)
        height = max(_scale(measured, top_value), 1.0)  # a 0.2 ms bar still shows
        bars.append(
            Bar(
                LEFT + index * group_width + group_width * 0.15 + offset * bar_width,
                BASELINE - height,
                bar_width,
                height,
                bar_label(measured, unit if len(series) <= 2 else ""),
                one_css(series, key),
            )
        )
    return {
        "bars": bars,
        "groups": [
            Tick(LEFT + index * group_width + group_width / 2, name)
            for index, name in enumerate(groups)
        ],
        "legend": [
            {"label": one.label, "css": one.css, "y": TOP + 20 * position}
            for position, one in enumerate(series)
        ],
        "y_ticks": _y_ticks(top_value, unit),
    } | _frame()


def bar_label(value: float, unit: str) -> str:
    """Short enough to sit above a narrow bar: whole numbers from 10 up."""
    return (f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}") + unit


def one_css(series: list[Series], key: str) -> str:
    return next(one.css for one in series if one.key == key)


COLD_WARM = [Series("cold", "cold", "bar-cold"), Series("warm", "warm", "bar-warm")]


def cold_warm_chart(figures: dict[str, Any]) -> dict[str, Any]:
    """Two bars per backend: median server time cold and warm."""
    rows = figures["backends"]
    return grouped_bar_chart(
        [row["backend"] for row in rows],
        COLD_WARM,
        lambda index, phase: rows[index][phase]["median_ms"],
        " ms",
    )


def _frame() -> dict[str, float]:
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "baseline": BASELINE,
        "right_edge": LEFT + PLOT_WIDTH,
        "top": TOP,
    }


def servers_chart(figures: dict[str, Any], measure: str) -> dict[str, Any]:
    """One line per store: `measure` (hit_ratio or db_queries) against the number of servers."""
    series = figures["series"]
    counts = [point["servers"] for point in next(iter(series.values()))]
    top_value = (
        1.0
        if measure == "hit_ratio"
        else max(max(point[measure] for point in points) for points in series.values())
    )
    step = PLOT_WIDTH / max(len(counts) - 1, 1)
    lines = []
    for store, points in series.items():
        colour, dash = SERIES_STYLES[store]
        xy = [
            (LEFT + i * step, BASELINE - _scale(p[measure], top_value))
            for i, p in enumerate(points)
        ]
        lines.append(
            {
                "store": store,
                "colour": colour,
                "dash": dash,
                "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in xy),
                "dots": xy,
                "end": xy[-1],
            }
        )
    _spread_labels(lines)
    return {
        "lines": lines,
        "x_ticks": [Tick(LEFT + i * step, str(count)) for i, count in enumerate(counts)],
        "y_ticks": _y_ticks(top_value, "%" if measure == "hit_ratio" else ""),
    } | _frame()


def stampede_chart(figures: dict[str, Any], measure: str, unit: str = "") -> dict[str, Any]:
    """Per backend, one bar per strategy: `measure` (rebuilt or slowest_ms) of each run."""
    rows = {(row["backend"], row["strategy"]): row[measure] for row in figures["rows"]}
    backends = list(dict.fromkeys(row["backend"] for row in figures["rows"]))
    series = [
        Series(one.name, one.label, f"bar-{one.name.replace('_', '-')}") for one in STRATEGIES
    ]
    return grouped_bar_chart(
        backends, series, lambda index, strategy: rows.get((backends[index], strategy)), unit
    )


STRIP_WIDTH = 480  # narrower than the other charts: legible on a phone
STRIP_LABEL_WIDTH = 130
STRIP_ROW = 28


def survival_chart(figures: dict[str, Any]) -> dict[str, Any]:
    """One strip per server: the written keys in groups, oldest first, each group's cell as
    dark as the share of its keys still in the cache after the fill."""
    rows = figures["rows"]
    groups = max(len(row["survival"]) for row in rows)
    cell = (STRIP_WIDTH - STRIP_LABEL_WIDTH - 10) / groups
    strips = []
    for number, row in enumerate(rows):
        y = TOP + number * (STRIP_ROW + 10)
        cells = [
            {"x": STRIP_LABEL_WIDTH + index * cell, "share": share}
            for index, share in enumerate(row["survival"])
        ]
        strips.append({"y": y, "label": row["short"], "cells": cells})
    height = TOP + len(rows) * (STRIP_ROW + 10) + 30
    return {
        "width": STRIP_WIDTH,
        "height": height,
        "cell_width": cell - 2,
        "row_height": STRIP_ROW,
        "strips": strips,
        "label_x": STRIP_LABEL_WIDTH - 8,
        "first_x": STRIP_LABEL_WIDTH,
        "last_x": STRIP_WIDTH - 10,
        "axis_y": height - 10,
    }
