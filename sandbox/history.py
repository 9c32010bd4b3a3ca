"""The learner's last runs, kept small in their session."""

from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from sandbox.backends import Outcome, Run

SESSION_KEY = "sandbox_history"
MAX_ENTRIES = 10
MAX_SUMMARY_CHARS = 80
MAX_CODE_CHARS = 2000  # ten long runs must not bloat every session read


def summary(outcome: Outcome) -> str:
    text = outcome.error if outcome.error else outcome.value or ""
    return text if len(text) <= MAX_SUMMARY_CHARS else text[: MAX_SUMMARY_CHARS - 3] + "..."


def entry(code: str, run: Run) -> dict[str, Any]:
    return {
        "code": code[:MAX_CODE_CHARS],
        "server": run.server,
        "backends": run.backends,
        "lines": [
            {
                "code": line.call.source,
                "results": [summary(line.outcomes[name]) for name in run.backends],
            }
            for line in run.lines
        ],
    }


def record(session: SessionBase, code: str, run: Run) -> None:
    session[SESSION_KEY] = [entry(code, run), *entries(session)][:MAX_ENTRIES]


def entries(session: SessionBase) -> list[dict[str, Any]]:
    return session.get(SESSION_KEY, [])


def clear(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)
