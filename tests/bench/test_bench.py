import io
import json
import shutil

import pytest
from django.core.management import call_command

from bench.report import README_END, README_START, markdown, update_readme
from bench.targets import FLOOR
from sandbox.catalogue import NAMES


@pytest.mark.slow
def test_bench_short_writes_valid_json_with_every_section(tmp_path) -> None:
    output = tmp_path / "latest.json"
    stdout = io.StringIO()
    call_command("bench", "--short", f"--output={output}", stdout=stdout, stderr=io.StringIO())
    results = json.loads(output.read_text())
    assert {row["backend"] for row in results["cache_operations"]} == set(NAMES)
    assert {row["op"] for row in results["cache_operations"]} == {"get", "set"}
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed: scripts/system-packages wrk")
    pages = results["http"]["pages"]
    assert pages[0]["path"] == FLOOR.path and pages[0]["status"] == "ok"
    assert all("rps" in page for page in pages if page["status"] == "ok")
    limited = [page for page in pages[1:] if page["status"] == "ok"]
    assert limited, "no page but the floor could be measured"
    for page in limited:
        assert 0 < page["limit_share"] <= 2 and 0 < page["share_of_limit"] <= 5
        assert page["limit"]["path"].startswith("/lab/floor")
        assert page["round_trips_counted"] == page["round_trips_declared"]
        assert ("profile" in page) == (not page["meets_goal"])
    assert "| share of floor | round trips | its limit: share of floor |" in stdout.getvalue()
    assert "| URL | req/s |" in stdout.getvalue()
    assert markdown(results) in stdout.getvalue()


def test_the_report_replaces_only_the_marked_part_of_the_readme(tmp_path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\n{README_START}\nold\n{README_END}\n\n## After\n")
    update_readme(readme, "| new | table |\n")
    assert (
        readme.read_text()
        == f"# Title\n\n{README_START}\n| new | table |\n{README_END}\n\n## After\n"
    )


def test_a_readme_without_markers_is_refused_and_left_as_it_was(tmp_path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n")
    with pytest.raises(ValueError, match="markers"):
        update_readme(readme, "| new | table |\n")
    assert readme.read_text() == "# Title\n"
