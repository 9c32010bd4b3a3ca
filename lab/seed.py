"""Generate the demo shop deterministically: the same seed and sizes give the same rows.

Primary keys are assigned here (1..N) rather than by the database, so a rebuild after
deleting everything yields identical rows, ids included, on SQLite and PostgreSQL alike.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.management.color import no_style
from django.db import connection, transaction

from lab.models import Customer, Order, OrderLine, Product

REGIONS = ["North", "South", "East", "West", "Central"]
CATEGORIES = ["Books", "Games", "Garden", "Kitchen", "Music", "Office", "Sports", "Toys"]
ADJECTIVES = ["Brave", "Calm", "Eager", "Fancy", "Gentle", "Happy", "Jolly", "Lucky", "Quiet"]
NOUNS = ["Otter", "Falcon", "Maple", "River", "Comet", "Harbor", "Meadow", "Summit", "Willow"]
FIRST_DAY = date(2025, 1, 1)
DAYS = 365
BATCH_SIZE = 2_000
MODELS_IN_DELETE_ORDER = [OrderLine, Order, Product, Customer]


@dataclass(frozen=True)
class ShopSize:
    customers: int = 2_000
    products: int = 300
    orders: int = 20_000
    max_lines_per_order: int = 5


def is_seeded() -> bool:
    return OrderLine.objects.exists()


def delete_shop() -> None:
    for model in MODELS_IN_DELETE_ORDER:
        model.objects.all().delete()


def _name(rng: random.Random, number: int) -> str:
    return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {number}"


def _customers(rng: random.Random, size: ShopSize) -> list[Customer]:
    return [
        Customer(id=i, name=_name(rng, i), region=rng.choice(REGIONS))
        for i in range(1, size.customers + 1)
    ]


def _products(rng: random.Random, size: ShopSize) -> list[Product]:
    return [
        Product(
            id=i,
            name=_name(rng, i),
            category=rng.choice(CATEGORIES),
            price_cents=rng.randrange(199, 19_999, 100),
        )
        for i in range(1, size.products + 1)
    ]


def _orders_and_lines(
    rng: random.Random, size: ShopSize, prices: dict[int, int]
) -> tuple[list[Order], list[OrderLine]]:
    orders: list[Order] = []
    lines: list[OrderLine] = []
    for order_id in range(1, size.orders + 1):
        orders.append(
            Order(
                id=order_id,
                customer_id=rng.randint(1, size.customers),
                placed_on=FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
            )
        )
        line_count = rng.randint(1, min(size.max_lines_per_order, size.products))
        for product_id in rng.sample(range(1, size.products + 1), line_count):
            lines.append(
                OrderLine(
                    id=len(lines) + 1,
                    order_id=order_id,
                    product_id=product_id,
                    quantity=rng.randint(1, 4),
                    unit_price_cents=prices[product_id],
                )
            )
    return orders, lines


def _reset_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind; point them past the new rows."""
    statements = connection.ops.sequence_reset_sql(no_style(), MODELS_IN_DELETE_ORDER)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@transaction.atomic
def seed_shop(seed: int = 2025, size: ShopSize | None = None) -> dict[str, int]:
    """Replace the shop with freshly generated rows; return how many of each were made."""
    size = size or ShopSize()
    rng = random.Random(seed)
    delete_shop()
    customers = _customers(rng, size)
    products = _products(rng, size)
    orders, lines = _orders_and_lines(rng, size, {p.id: p.price_cents for p in products})
    for model, rows in [
        (Customer, customers),
        (Product, products),
        (Order, orders),
        (OrderLine, lines),
    ]:
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    _reset_sequences()
    return {
        "customers": len(customers),
        "products": len(products),
        "orders": len(orders),
        "order lines": len(lines),
    }
