import pytest

from sandbox.backends import BACKENDS
from tests.sandbox.helpers import SESSIONS


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Like `sandbox_cache`: one backend-agnostic test, run once per sandbox backend."""
    return request.param


@pytest.fixture(autouse=True)
def fresh_learners() -> None:
    """The caches are emptied before each test; so are the fake learners' sessions."""
    SESSIONS.clear()
