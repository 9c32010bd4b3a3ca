"""One cluster for the deployment tests: what `make cluster` runs (ops.cluster), with two
workers per app host to spare the machine and the sandbox address limit of `make load` (all
test learners come from 127.0.0.1). Started once per session, about 30 s."""

from collections.abc import Iterator

import pytest
import requests

from loadtest.journeys import Learner
from loadtest.run import LOAD_ENVIRONMENT
from ops.cluster import Cluster, manage, running_cluster
from tests.servers import postgres_directory, remove_directory

OPERATOR = ("operator", "a long operator passphrase")


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    directory = postgres_directory()  # PostgreSQL's unprivileged user must reach it
    try:
        with running_cluster(directory, workers=2, environment=LOAD_ENVIRONMENT) as running:
            yield running
    finally:
        remove_directory(directory)


@pytest.fixture
def learner(cluster: Cluster) -> Iterator[Learner]:
    with requests.Session() as session:
        yield Learner(session, cluster.url)


def log_in(session: requests.Session, base_url: str, username: str, password: str) -> None:
    session.get(f"{base_url}/accounts/login/").raise_for_status()  # sets the CSRF cookie
    response = session.post(
        f"{base_url}/accounts/login/",
        data={"username": username, "password": password},
        headers={"X-CSRFToken": session.cookies["csrftoken"]},
        allow_redirects=False,
    )
    assert response.status_code == 302, f"log-in failed: {response.status_code}"


@pytest.fixture(scope="session")
def operator(cluster: Cluster) -> Iterator[requests.Session]:
    """A staff member logged in through nginx (made once with createsuperuser)."""
    username, password = OPERATOR
    environment = cluster.environment | {"DJANGO_SUPERUSER_PASSWORD": password}
    manage(environment, "createsuperuser", "--noinput", "--username", username,
           "--email", "operator@example.com")  # fmt: skip
    with requests.Session() as session:
        log_in(session, cluster.url, username, password)
        yield session
