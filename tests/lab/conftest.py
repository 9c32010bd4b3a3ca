from importlib import import_module

import pytest
from django.conf import settings

from lab.seed import ShopSize, seed_shop
from learners.identity import VISITOR_SESSION_KEY, Learner

SMALL_SHOP = ShopSize(customers=40, products=30, orders=300)


@pytest.fixture
def shop(db) -> dict[str, int]:
    """A small demo shop: the real one has tens of thousands of rows."""
    return seed_shop(seed=7, size=SMALL_SHOP)


def visitor_of(session_key: str) -> Learner:
    """The anonymous learner whose session this is (they have run an experiment)."""
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return Learner(visitor=session[VISITOR_SESSION_KEY])
