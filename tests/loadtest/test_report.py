"""`make load`'s JSON and README block, from steps as the load shape reports them."""

from dataclasses import dataclass

from loadtest.report import README_END, README_START, markdown, results, update_readme
from loadtest.steps import Step


@dataclass
class Plan:
    seconds: float = 40
    warm_up_seconds: float = 20


def step(users: int, p95: float, cpu: dict[str, float]) -> Step:
    endpoint = {"method": "GET", "name": "/lessons/[slug]/", "requests": 10, "failures": 0,
                "rps": 1.0, "p50_ms": 9, "p95_ms": p95, "p99_ms": p95, "max_ms": p95}  # fmt: skip
    return Step(users, requests=100, failures=0, exceptions=0, rps=12.5, p50_ms=9, p95_ms=p95,
                p99_ms=p95, seconds=40.2, endpoints=[endpoint], cpu_cores=cpu)  # fmt: skip


def test_the_figure_is_the_most_learners_of_a_passing_step_with_its_cpu_and_endpoints() -> None:
    cpu = {"app-a": 0.61, "app-b": 0.58, "locust": 0.4, "machine": 1.9, "other work": 0.31}
    report = results(
        [step(240, 150, cpu), step(260, 230, {})], Plan(), {"layout": "nginx -> 2 app hosts"}
    )
    assert report["max_learners"] == 240 and not report["reached_max_users"]
    text = markdown(report)
    assert "**240 simulated learners** served with p95 under 200 ms and no errors." in text
    assert "| 240 | 12.5 | 9 ms | 150 ms | 150 ms | 0 |" in text
    assert "| 260 | 12.5 | 9 ms | 230 ms | 230 ms | 0 |" in text and "| fail |" in text
    assert (
        "app-a 0.61, app-b 0.58, locust 0.40, machine 1.90, other work 0.31." in text
    )  # parts by cores, then the machine and what was not the cluster's
    assert "| `GET /lessons/[slug]/` | 10 | 1.0 | 9 ms | 150 ms | 150 ms | 150 ms |" in text
    assert "LoadTestShape" in text


def test_the_block_replaces_only_the_marked_part_of_the_readme(tmp_path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n{README_START}\nold\n{README_END}\nafter\n")
    update_readme(readme, "new figure\n")
    assert readme.read_text() == f"# Title\n{README_START}\nnew figure\n{README_END}\nafter\n"
