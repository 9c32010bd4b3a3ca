"""Load URLs of a running site with `wrk` and compare each with the framework floor.

`Site` is one client of the site, a returning anonymous learner: it keeps the cookies it is
given (a CSRF token, a session) in an `http.cookiejar.CookieJar`, and hands the same cookies
to `wrk`, except for a target measured as a first visit (`Target.cookies` false), which is
sent no cookie at all.
"""

import http.cookiejar
import json
import statistics
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings

from bench.targets import FLOOR, Load, Target, limit_of

REQUEST_TIMEOUT = 10
REDIRECTS = (301, 302, 303)


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # hand the redirect back to the caller, who wants its Location


@dataclass
class Site:
    base_url: str
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self) -> None:
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self.opener = urllib.request.build_opener(cookies)
        self.no_redirects = urllib.request.build_opener(cookies, _KeepRedirects)
        self.first_visit = urllib.request.build_opener()  # keeps and sends no cookies

    def cookie(self, name: str) -> str | None:
        return next((cookie.value for cookie in self.jar if cookie.name == name), None)

    def request(self, target: Target, path: str | None = None, method: str | None = None) -> int:
        """One request (the jar keeps the cookies it sets). Returns the status code."""
        method = method or target.method
        data = target.body.encode() if method == "POST" and target.body else None
        request = urllib.request.Request(
            self.base_url + (path or target.path),
            data=data,
            method=method,
            headers=self.headers(target),
        )
        opener = self.opener if target.cookies else self.first_visit
        try:
            with opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def start(self, target: Target) -> str:
        """POST target.start_from; the path it redirects to (e.g. the new attempt's page)."""
        request = urllib.request.Request(
            self.base_url + target.start_from,
            data=b"",
            method="POST",
            headers={**self.headers(replace(target, method="POST")), "Referer": self.base_url},
        )
        try:
            self.no_redirects.open(request, timeout=REQUEST_TIMEOUT)
        except urllib.error.HTTPError as error:
            if error.code in REDIRECTS:
                return urllib.parse.urlsplit(error.headers["Location"]).path
            raise RuntimeError(f"POST {target.start_from} answered {error.code}") from error
        raise RuntimeError(f"POST {target.start_from} did not redirect")

    def headers(self, target: Target) -> dict[str, str]:
        """The headers of a request to target; urllib's cookie processor adds the cookies."""
        headers = {"Content-Type": target.content_type} if target.content_type else {}
        token = self.cookie(settings.CSRF_COOKIE_NAME)
        if token and target.method == "POST":
            headers["X-CSRFToken"] = token
        return headers

    def cookies_for(self, target: Target) -> dict[str, str]:
        """The cookies a request to target carries (none for a first visit)."""
        return {cookie.name: cookie.value for cookie in self.jar} if target.cookies else {}

    def headers_with_cookies(self, target: Target) -> dict[str, str]:
        """headers() plus the jar's cookies, for wrk, which sends them as they are."""
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)
        send_cookies = cookies and target.cookies
        return self.headers(target) | ({"Cookie": cookies} if send_cookies else {})


WRK_SCRIPT = """
wrk.method = {method}
wrk.body = {body}
{headers}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH-JSON {{\\"requests\\": %d, \\"duration_us\\": %d, \\"p50_us\\": %d, \\"p99_us\\": %d, "
    .. "\\"non_2xx\\": %d, \\"socket_errors\\": %d}}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def wrk_script(target: Target, headers: dict[str, str]) -> str:
    lines = [
        f"wrk.headers[ {lua_string(name)} ] = {lua_string(value)}"
        for name, value in headers.items()
    ]
    return WRK_SCRIPT.format(
        method=lua_string(target.method),
        body=lua_string(target.body) if target.body else "nil",
        headers="\n".join(lines),
    )


def resolve(site: Site, target: Target) -> Target:
    """The target with its path, for one whose page exists only after starting something."""
    if not target.start_from:
        return target
    if target.prime_from:
        site.request(target, path=target.prime_from, method="GET")
    return replace(target, path=site.start(target))


def availability(site: Site, target: Target) -> str:
    """'ok', or why the URL cannot be measured (checked with one real request)."""
    if target.prime_from:
        status = site.request(target, path=target.prime_from, method="GET")
        if status != 200:
            return f"not available ({target.prime_from} answered {status})"
    status = site.request(target)
    if status == 404:
        return "not available (404)"
    if not 200 <= status < 300:
        return f"not available ({status})"
    return "ok"


def run_wrk(site: Site, target: Target, load: Load, work_dir: Path) -> dict[str, Any]:
    script = work_dir / "bench.lua"
    script.write_text(wrk_script(target, site.headers_with_cookies(target)))
    argv = [
        "wrk",
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{load.seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(script),
        site.base_url + target.path,
    ]
    output = subprocess.run(
        argv, capture_output=True, text=True, check=True, timeout=load.seconds + 30
    )
    line = next(line for line in output.stdout.splitlines() if line.startswith("BENCH-JSON "))
    figures = json.loads(line.removeprefix("BENCH-JSON "))
    seconds = figures["duration_us"] / 1e6
    return {
        "requests": figures["requests"],
        "rps": round(figures["requests"] / seconds, 1),
        "p50_ms": round(figures["p50_us"] / 1000, 2),
        "p99_ms": round(figures["p99_us"] / 1000, 2),
        "non_2xx": figures["non_2xx"],
        "socket_errors": figures["socket_errors"],
    }


def median_figures(runs: list[dict[str, Any]]) -> dict[str, Any]:
    def median_of(name: str) -> float:
        return round(statistics.median(run[name] for run in runs), 2)

    return {"rps": median_of("rps"), "p50_ms": median_of("p50_ms"), "p99_ms": median_of("p99_ms")}


def median_ratio(runs: list[dict[str, Any]], bases: list[dict[str, Any]]) -> float:
    """The median of the paired ratios runs[i] / bases[i] of requests per second."""
    ratios = [run["rps"] / base["rps"] for run, base in zip(runs, bases, strict=True)]
    return round(statistics.median(ratios), 3)


def summarise_rounds(runs: list[dict[str, Any]], floors: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        **median_figures(runs),
        "requests": sum(run["requests"] for run in runs),
        "non_2xx": sum(run["non_2xx"] for run in runs),
        "socket_errors": sum(run["socket_errors"] for run in runs),
        "rounds": runs,
        "ratio_to_floor": median_ratio(runs, floors),
    }


def limit_figures(
    target: Target, limit: Target, runs: list[dict], floors: list[dict], limits: list[dict]
) -> dict[str, Any]:
    """The page against its own limit, each ratio the median of the rounds' paired ones."""
    assert target.round_trips is not None
    figures: dict[str, Any] = {
        "limit": {
            "name": limit.name,
            "path": limit.path,
            "round_trips": asdict(target.round_trips),
            **median_figures(limits),
            "non_2xx": sum(run["non_2xx"] for run in limits),
            "rounds": limits,
        },
        "limit_share": median_ratio(limits, floors),
        "share_of_limit": median_ratio(runs, limits),
    }
    if target.goal is not None:
        figures["meets_goal"] = figures["share_of_limit"] >= target.goal
    return figures


def measure_page(
    site: Site, target: Target, load: Load, work_dir: Path
) -> tuple[dict[str, Any], list[dict]]:
    """`rounds` rounds of the floor, the target's limit (if it has one) and the target, one
    right after the other; the figures and the floor runs."""
    limit = limit_of(target)
    floors, limits, runs = [], [], []
    for _ in range(load.rounds):
        floors.append(run_wrk(site, FLOOR, load, work_dir))
        if limit is not None:
            limits.append(run_wrk(site, limit, load, work_dir))
        runs.append(run_wrk(site, target, load, work_dir))
    row = summarise_rounds(runs, floors)
    if limit is not None:
        row |= limit_figures(target, limit, runs, floors, limits)
    elif target.goal is not None:  # a goal without a limit: as a share of the floor
        row["meets_goal"] = row["ratio_to_floor"] >= target.goal
    return row, floors


# Given the requests (bench.profile's specs), what each really does: `python -m bench.profile`
# run against the benchmark's site (bench.runner), or nothing.
Examine = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


def profile_spec(site: Site, target: Target, profile: bool) -> dict[str, Any]:
    """A request to target as wrk sends it, for bench.profile."""
    return {
        "method": target.method,
        "path": target.path,
        "body": target.body,
        "content_type": target.content_type,
        "headers": site.headers(target),
        "cookies": site.cookies_for(target),
        "host": urllib.parse.urlsplit(site.base_url).hostname,
        "profile": profile,
    }


def examine_pages(site: Site, live: list[tuple[Target, dict]], examine: Examine) -> None:
    """Each page's round trips as counted on the servers (next to the ones declared) and, for
    a page that missed its goal, a profile of where its time goes."""
    pages = [(target, row) for target, row in live if target.round_trips is not None]
    specs = [profile_spec(site, target, not row.get("meets_goal", True)) for target, row in pages]
    for (target, row), found in zip(pages, examine(specs), strict=True):
        row["round_trips_declared"] = asdict(target.round_trips)
        row["round_trips_counted"] = found["round_trips_counted"]
        if "profile" in found:
            row["profile"] = found["profile"]


def measure_targets(
    site: Site, targets: list[Target], load: Load, work_dir: Path, examine: Examine | None = None
) -> list[dict]:
    """targets[0] is the floor. Each other URL is loaded in `rounds` rounds, each right after
    a run of the floor and of its limit, and its shares are the medians of those paired
    ratios. With `examine`, each page's round trips are counted and a page that missed its
    goal is profiled."""
    targets = [resolve(site, target) for target in targets]
    rows = [
        {
            "name": target.name,
            "method": target.method,
            "path": target.path,
            "goal": target.goal,
            "status": availability(site, target),
        }
        for target in targets
    ]
    if rows[0]["status"] != "ok":
        raise RuntimeError(f"The floor {targets[0].path} is {rows[0]['status']}.")
    live = [
        (target, row) for target, row in zip(targets, rows, strict=True) if row["status"] == "ok"
    ]
    if load.warm_up_seconds:  # every worker imports, compiles and connects before we count
        warm = replace(load, seconds=load.warm_up_seconds)
        for target, _ in live:
            for url in filter(None, [limit_of(target), target]):
                run_wrk(site, url, warm, work_dir)
    floor_runs: list[dict[str, Any]] = []
    for target, row in live[1:]:
        figures, floors = measure_page(site, target, load, work_dir)
        row |= figures
        floor_runs += floors
    if not floor_runs:  # only the floor is available
        floor_runs = [run_wrk(site, FLOOR, load, work_dir) for _ in range(load.rounds)]
    live[0][1].update(summarise_rounds(floor_runs, floor_runs))
    if examine is not None:
        examine_pages(site, live[1:], examine)
    return rows
