import io
import json
import shutil

import pytest
from django.core.management import call_command

from cachelab.cache_config import SANDBOX_ALIASES
from lab.bench import FLOOR, README_END, README_START, update_readme


def test_bench_short_writes_valid_json_with_every_section(tmp_path) -> None:
    output = tmp_path / "latest.json"
    stdout = io.StringIO()
    call_command("bench", "--short", f"--output={output}", stdout=stdout, stderr=io.StringIO())
    results = json.loads(output.read_text())
    assert {row["backend"] for row in results["cache_operations"]} == set(SANDBOX_ALIASES)
    assert {row["op"] for row in results["cache_operations"]} == {"get", "set"}
    if shutil.which("wrk") is None:
        assert "wrk" in results["http"]["skipped"]
        pytest.skip("wrk is not installed: the bench skipped its HTTP part (checked above)")
    pages = results["http"]["pages"]
    assert pages[0]["path"] == FLOOR.path and pages[0]["status"] == "ok"
    assert all("rps" in page for page in pages if page["status"] == "ok")
    assert "| URL | req/s |" in stdout.getvalue()


def test_the_table_replaces_only_the_marked_part_of_the_readme(tmp_path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\n{README_START}\nold\n{README_END}\n\n## After\n")
    update_readme(readme, "| new | table |\n")
    assert (
        readme.read_text()
        == f"# Title\n\n{README_START}\n| new | table |\n{README_END}\n\n## After\n"
    )
