"""The accounts' fixtures (the course, learners with accounts), for /progress/'s tests."""

from tests.accounts.conftest import ada, bob, course  # noqa: F401  (fixtures)
