"""The results as Markdown: a summary in words and the tables, all from one run.

The README quotes no figure of its own: `--readme` writes this report between its markers,
so the prose figures and the tables always come from the same run.
"""

from pathlib import Path
from typing import Any

README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


def _ops_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| backend | operation | Django cache API | raw client | ratio |",
        "|---|---|--:|--:|--:|",
    ]
    for row in rows:
        raw = (
            f"{row['raw_us']} µs ({row['raw_client']})"
            if "raw_us" in row
            else "n/a (in-process dict)"
        )
        ratio = f"{row['ratio']}x" if "ratio" in row else "n/a"
        lines.append(
            f"| {row['backend']} | {row['op']} | {row['django_us']} µs | {raw} | {ratio} |"
        )
    return lines


def _goal(row: dict[str, Any]) -> str:
    if row.get("goal") is None:
        return ""
    verdict = ("met" if row["meets_goal"] else "MISSED") if "meets_goal" in row else "not measured"
    of = "of its limit" if "share_of_limit" in row or "round_trips_declared" in row else ""
    return f"≥ {row['goal']:.0%}{' ' + of if of else ''}: {verdict}"


def _percent(row: dict[str, Any], name: str) -> str:
    return f"{row[name]:.0%}" if name in row else ""


def round_trips_text(counts: dict[str, int] | None) -> str:
    if counts is None:
        return ""
    parts = [f"{count} {kind}" for kind, count in counts.items() if count]
    return ", ".join(parts) or "none"


HEAD = ["URL", "req/s", "p50", "p99", "share of floor"]
LIMIT_HEAD = ["round trips", "its limit: share of floor", "share of its limit"]


def _limit_cells(row: dict[str, Any]) -> list[str]:
    trips = round_trips_text(row.get("limit", {}).get("round_trips"))
    return [trips, _percent(row, "limit_share"), _percent(row, "share_of_limit")]


def _http_table(rows: list[dict[str, Any]], limits: bool = False) -> list[str]:
    """One row per URL; with `limits`, each page's round trips and its own limit too."""
    head = [*HEAD, *(LIMIT_HEAD if limits else []), "goal"]
    align = ["---", "--:", "--:", "--:", "--:", *(["---", "--:", "--:"] if limits else []), "---"]
    lines = [f"| {' | '.join(head)} |", f"|{'|'.join(align)}|"]
    for row in rows:
        name = f"{row['name']} (`{row['method']} {row['path']}`)"
        if row["status"] != "ok":
            cells = [name, row["status"], *[""] * (len(head) - 3), _goal(row)]
        else:
            errors = f" ({row['non_2xx']} non-2xx!)" if row["non_2xx"] else ""
            cells = [
                name, f"{row['rps']:,.0f}{errors}", f"{row['p50_ms']} ms", f"{row['p99_ms']} ms",
                _percent(row, "ratio_to_floor"), *(_limit_cells(row) if limits else []),
                _goal(row),
            ]  # fmt: skip
        lines.append(f"| {' | '.join(cells)} |")
    return lines


def _get_costs(operations: list[dict[str, Any]]) -> str:
    gets = {row["backend"]: row for row in operations if row["op"] == "get"}
    if not {"locmem", "redis", "django-redis", "memcached"} <= gets.keys():
        return ""
    django_redis, redis, memcached = gets["django-redis"], gets["redis"], gets["memcached"]
    return (
        f"- One `cache.get` took {django_redis['django_us']} µs through django-redis "
        f"({django_redis['ratio']}x redis-py's own {django_redis['raw_us']} µs), "
        f"{redis['django_us']} µs through Django's built-in `RedisCache` ({redis['ratio']}x: "
        f"it builds a client object on every call), {memcached['django_us']} µs through "
        f"`PyMemcacheCache` ({memcached['ratio']}x pymemcache's {memcached['raw_us']} µs) and "
        f"{gets['locmem']['django_us']} µs from `LocMemCache`."
    )


def _share(rows: list[dict[str, Any]], path: str) -> str:
    row = next((row for row in rows if row["path"] == path and "ratio_to_floor" in row), None)
    return f"{row['ratio_to_floor']:.0%}" if row else "not measured"


def _settings_shares(http: dict[str, Any]) -> list[str]:
    if "settings" not in http or "conn_max_age_0" not in http:
        return []
    probes, no_reuse = http["settings"], http["conn_max_age_0"]
    return [
        "- A request with one 1-row SQLite query served "
        f"{_share(probes, '/lab/floor?probe=db')} of the floor's requests per second with "
        f"persistent connections (`CONN_MAX_AGE=600`) and {_share(no_reuse, '/lab/floor?probe=db')}"
        " with `CONN_MAX_AGE=0`.",
        "- A request with one `cache.get` served "
        f"{_share(probes, '/lab/floor?probe=django-redis')} of the floor through django-redis, "
        f"{_share(probes, '/lab/floor?probe=redis')} through Django's `RedisCache` and "
        f"{_share(probes, '/lab/floor?probe=memcached')} through `PyMemcacheCache`.",
    ]


def _goals(rows: list[dict[str, Any]]) -> list[str]:
    with_goals = [row for row in rows if row.get("goal") is not None]
    if not with_goals:
        return []
    parts = []
    for row in with_goals:
        if row["status"] != "ok":
            parts.append(f"{row['name']} {row['status']}")
        elif "share_of_limit" in row:
            trips = round_trips_text(row["limit"]["round_trips"])
            parts.append(
                f"{row['name']} {row['share_of_limit']:.0%} of its limit (floor + {trips}: "
                f"{row['limit_share']:.0%} of the floor) ({_goal(row)})"
            )
        else:
            parts.append(f"{row['name']} {_share([row], row['path'])} ({_goal(row)})")
    return [f"- Goals, each page against its own limit: {'; '.join(parts)}."]


def _drift(rows: list[dict[str, Any]]) -> list[str]:
    """Pages whose round trips counted on the servers are not the ones their limit assumes."""
    return [
        f"- {row['name']}: its limit assumes {round_trips_text(row['round_trips_declared'])} "
        f"but one request made {round_trips_text(row['round_trips_counted'])}; its limit is "
        "wrong until `bench/targets.py` says so."
        for row in rows
        if row.get("round_trips_counted", row.get("round_trips_declared"))
        != row.get("round_trips_declared")
    ]


def _profiles(rows: list[dict[str, Any]]) -> list[str]:
    lines = []
    for row in rows:
        profile = row.get("profile")
        if not profile:
            continue
        shown = [item for item in profile["by_area"] if item["share"] >= 0.01]
        areas = ", ".join(f"{item['area']} {item['share']:.0%}" for item in shown)
        functions = "; ".join(
            f"`{item['function']}` {item['share']:.0%}" for item in profile["top_functions"]
        )
        lines += [
            f"- **{row['name']}** ({profile['requests']} requests, {profile['ms_per_request']} ms "
            f"each under the profiler): {areas}. Busiest functions: {functions}.",
        ]
    if not lines:
        return []
    return [
        "Where the time goes in the pages that missed their goal (cProfile over repeated "
        "requests through Django's handler in one process, no HTTP server; own time per "
        "area, a built-in's counted to its callers; the profiler itself inflates "
        "Python-heavy parts against network waits):",
        "",
        *lines,
        "",
    ]


def summary(results: dict[str, Any]) -> list[str]:
    """What the run says, in words, with figures from the tables below it."""
    http = results["http"]
    lines = [_get_costs(results["cache_operations"])]
    if "skipped" not in http:
        lines += [*_settings_shares(http), *_goals(http["pages"]), *_drift(http["pages"])]
    return [line for line in lines if line]


def markdown(results: dict[str, Any]) -> str:
    machine, http = results["machine"], results["http"]
    load = http["load"]
    busy = machine["load_average_1min"]
    lines = [
        f"Measured {results['started']} on {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['system']}, Python {machine['python']}, Django {machine['django']}; "
        f"1-minute load average {busy['before']:.1f} before, {busy['after']:.1f} after "
        "(other work on the machine lowers and scatters every figure).",
        "",
        "What this run says:",
        "",
        *summary(results),
        "",
        "Cache operations (median of "
        f"{load['op_repeats']:,} calls, 100-byte value, servers on 127.0.0.1):",
        "",
        *_ops_table(results["cache_operations"]),
        "",
    ]
    if "skipped" in http:
        return "\n".join([*lines, f"HTTP: skipped ({http['skipped']})."]) + "\n"
    lines += [
        f"HTTP (gunicorn, {load['workers']} sync workers, DEBUG off, SQLite; "
        f"`wrk -t{load['threads']} -c{load['connections']} -d{load['seconds']}s`, "
        f"{load['rounds']} rounds per URL after a warm-up, each right after a run of the floor "
        "and of its limit; "
        "medians, and the median share of the floor run just before). Each page's limit is "
        "the floor plus the round trips that page makes (Redis ones made with django-redis "
        "GETs, database ones with 1-row queries), measured in the same rounds:",
        "",
        *_http_table(http["pages"], limits=True),
        "",
        *_profiles(http["pages"]),
    ]
    for key, title in [
        ("settings", "Settings probes (persistent connections, CONN_MAX_AGE=600)"),
        ("conn_max_age_0", "Without persistent connections (CONN_MAX_AGE=0)"),
    ]:
        if key in http:
            lines += ["", f"{title}:", "", *_http_table(http[key])]
    return "\n".join(lines) + "\n"


def update_readme(readme: Path, report: str) -> None:
    text = readme.read_text()
    before, start, rest = text.partition(README_START)
    _, end, after = rest.partition(README_END)
    if not start or not end:
        raise ValueError(f"{readme} has no {README_START} ... {README_END} markers.")
    readme.write_text(f"{before}{README_START}\n{report}{README_END}{after}")
