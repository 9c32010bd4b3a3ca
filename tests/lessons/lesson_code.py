"""The code blocks of a lesson's source, for tests that run what the lesson shows."""

import re

from lessons.content import CONTENT_DIR

FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<code>.*?)^```$", re.S | re.M)


def lesson_text(slug: str) -> str:
    return (CONTENT_DIR / f"{slug}.md").read_text()


def section_of(slug: str, heading: str) -> str:
    """The Markdown from `## heading` (or ###) up to the next heading of level 2."""
    text = lesson_text(slug)
    start = text.index(f" {heading}\n")
    end = text.find("\n## ", start)
    return text[start : end if end != -1 else None]


def code_blocks(slug: str, heading: str, info: str = "python") -> list[str]:
    """The code of every fence in the section whose info string is exactly `info`."""
    return [
        match["code"]
        for match in FENCE.finditer(section_of(slug, heading))
        if match["info"].strip() == info
    ]


def prose_of(slug: str, heading: str) -> str:
    """The section's text without its code blocks, on one line."""
    return " ".join(FENCE.sub("", section_of(slug, heading)).split())
