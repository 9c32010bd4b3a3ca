"""One cluster for the deployment tests: what `make cluster` runs (ops.cluster), with two
workers per app host to spare the machine and the sandbox address limit of `make load` (all
test learners come from 127.0.0.1). Started once per session, about 30 s."""

from collections.abc import Iterator

import pytest
import requests

from loadtest.journeys import Learner
from loadtest.run import LOAD_ENVIRONMENT
from ops.cluster import Cluster, running_cluster
from tests.servers import postgres_directory, remove_directory


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
