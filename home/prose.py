"""Counts and names in the site's sentences, rendered from the database, never typed."""

from collections.abc import Iterable

NUMBER_WORDS = (
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)


def in_words(count: int) -> str:
    """6 -> "six"; from 13 on, digits."""
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


def quoted_list(names: Iterable[str]) -> str:
    """["A", "B", "C"] -> "“A”, “B” and “C”"."""
    quoted = [f"“{name}”" for name in names]
    if len(quoted) < 2:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"
