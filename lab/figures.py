"""The newest figures per topic, as fragments the lessons embed (/lab/figures/<topic>/).

Each topic but two is the newest run of one lab experiment, by anyone; "bench" is the
committed benchmark (`make bench`, settings.CACHELAB_BENCH_RESULTS) and "cache-servers" what
the site's own Redis and memcached servers report at the moment of the request.
"""

import json
from typing import Any

from django.conf import settings

from lab.models import Result
from lab.panels import charts_for
from lab.server_stats import site_servers
from lab.topics import BENCH, CACHE_SERVERS, EXPERIMENT_TOPICS


def topic_context(topic: str) -> dict[str, Any]:
    """What the topic's fragment shows; KeyError for a topic that does not exist."""
    if topic == BENCH:
        return {"topic": topic, "title": "Benchmark"} | bench_figures()
    if topic == CACHE_SERVERS:
        return {"topic": topic, "title": "The site's cache servers", "servers": site_servers()}
    kind = Result.Kind(EXPERIMENT_TOPICS[topic])
    result = Result.objects.filter(kind=kind).first()
    return {
        "topic": topic,
        "kind": kind.value,
        "title": kind.label,
        "result": result,
        "charts": charts_for(kind.value, result.figures) if result else {},
    }


def bench_figures() -> dict[str, Any]:
    """The committed benchmark's per-operation costs and shares of the floor, with its date."""
    path = settings.CACHELAB_BENCH_RESULTS
    try:
        results = json.loads(path.read_text())
        http = results["http"]
        return {
            "measured": results["started"],
            "load_average": results.get("machine", {}).get("load_average_1min"),
            "operations": results["cache_operations"],
            "pages": [row for row in http.get("pages", []) if "ratio_to_floor" in row],
            "probes": [row for row in http.get("settings", []) if "ratio_to_floor" in row],
        }
    except FileNotFoundError:
        return {"missing": "No benchmark has been run on this installation yet (make bench)."}
    except (ValueError, KeyError, TypeError):
        return {"missing": f"The benchmark results in {path.name} cannot be read: run make bench."}
