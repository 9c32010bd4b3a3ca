"""Each page's limit assumes the round trips the page makes (bench/targets.py): counted here on
the real servers, as the benchmark sends the request (same cookies, same body), so a change
that adds or removes a round trip fails until the target says so."""

from dataclasses import asdict

import pytest
from django.conf import settings
from django.test import Client

from bench.profile import examine
from bench.targets import DEFAULT_TARGETS, FLOOR, Target
from lab.seed import ShopSize, seed_shop

pytestmark = pytest.mark.django_db(transaction=True)
PAGES = [target for target in DEFAULT_TARGETS if target.round_trips is not None]


@pytest.fixture
def site_content() -> None:
    """A small shop (the course content is in the test database: tests/conftest.py)."""
    seed_shop(seed=7, size=ShopSize(customers=40, products=30, orders=300))


def request_as_the_bench_sends_it(target: Target) -> dict:
    """The benchmark's one learner primes every target first, in order (opens the quiz and
    starts it, opens the sandbox); the request then carries their cookies, or none for a
    first visit."""
    learner, paths = Client(), {}
    for each in DEFAULT_TARGETS:
        if each.prime_from:
            learner.get(each.prime_from)
        paths[each.name] = learner.post(each.start_from)["Location"] if each.start_from else ""
    cookies = {name: morsel.value for name, morsel in learner.cookies.items()}
    return {
        "method": target.method,
        "path": paths[target.name] or target.path,
        "body": target.body,
        "content_type": target.content_type,
        "cookies": cookies if target.cookies else {},
        "host": "testserver",
    }


def test_every_page_but_the_floor_declares_its_round_trips() -> None:
    assert [target.name for target in DEFAULT_TARGETS if target.round_trips is None] == [FLOOR.name]


@pytest.mark.parametrize("target", PAGES, ids=[target.name for target in PAGES])
def test_a_page_makes_the_round_trips_its_limit_assumes(site_content, target: Target) -> None:
    found = examine(request_as_the_bench_sends_it(target), str(settings.BASE_DIR))
    assert found["status"] == 200
    declared = asdict(target.round_trips)
    assert found["round_trips_counted"] == declared, (
        f"{target.name} makes {found['round_trips_counted']}, its limit assumes {declared}: "
        "update its round_trips in bench/targets.py (and say why in the commit)."
    )
