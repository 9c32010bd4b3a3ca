import pytest

from lab.seed import ShopSize, seed_shop

SMALL_SHOP = ShopSize(customers=40, products=30, orders=300)


@pytest.fixture
def shop(db) -> dict[str, int]:
    """A small demo shop: the real one has tens of thousands of rows."""
    return seed_shop(seed=7, size=SMALL_SHOP)
