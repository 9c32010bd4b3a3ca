import pytest

from sandbox.backends import BACKENDS


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Like `sandbox_cache`: one backend-agnostic test, run once per sandbox backend."""
    return request.param
