"""The README's own prose quotes no measured figure: figures live in the blocks `make bench`
and `make load` generate (issue 18: "the HTTP shares scatter by up to ±20 points" was a figure
no committed run backed)."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
GENERATED = re.compile(r"<!-- (\w+):start -->.*?<!-- \1:end -->", re.S)


def hand_written(text: str) -> str:
    return GENERATED.sub("", text)


def test_the_readme_prose_quotes_no_scatter_figure() -> None:
    prose = hand_written(README.read_text())
    assert not re.findall(r"±\s*\d+", prose)
    assert "scatter by up to" not in prose


def test_only_the_generated_blocks_are_left_out() -> None:
    text = "a ±3 <!-- bench:start -->±20<!-- bench:end --> b"
    assert hand_written(text) == "a ±3  b"
