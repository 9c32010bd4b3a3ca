"""Clock-derived values the site shows (a key's remaining TTL, how long something took),
read back with a tolerance: on a busy machine a second or more can pass between the write
and the read that reports the time left, so an exact figure would make a flaky test."""

import re

# How much time may pass between setting a timeout and reading what is left of it.
SLACK_SECONDS = 10.0


def seconds_after(label: str, text: str) -> float:
    """N from the first "<label> N s" in text ("TTL 119.9 s", "expires in 60 s")."""
    found = re.search(rf"{re.escape(label)} (\d+(?:\.\d+)?) s\b", text)
    assert found, f"no '{label} <seconds> s' in {text!r}"
    return float(found.group(1))


def counts_down_from(timeout: float, remaining: float) -> bool:
    """What is left of `timeout`, read shortly after it was set: never more, at most
    SLACK_SECONDS less."""
    return timeout - SLACK_SECONDS <= remaining <= timeout
