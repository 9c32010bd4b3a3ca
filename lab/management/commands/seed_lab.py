"""`manage.py seed_lab`: the performance lab's demo shop, generated deterministically."""

import argparse
import time

from django.core.management.base import BaseCommand, CommandParser

from lab.seed import ShopSize, is_seeded, seed_shop

DEFAULT = ShopSize()


def positive_int(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{number} is not a positive whole number")
    return number


class Command(BaseCommand):
    help = "Generate the lab's demo shop (same seed and sizes: same rows). Skips if present."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--customers", type=positive_int, default=DEFAULT.customers)
        parser.add_argument("--products", type=positive_int, default=DEFAULT.products)
        parser.add_argument("--orders", type=positive_int, default=DEFAULT.orders)
        parser.add_argument(
            "--force", action="store_true", help="delete the existing shop and generate it again"
        )

    def handle(
        self, *args, seed: int, customers: int, products: int, orders: int, force: bool, **options
    ) -> None:
        if is_seeded() and not force:
            self.stdout.write("The lab's demo shop is already there (use --force to rebuild).")
            return
        started = time.perf_counter()
        counts = seed_shop(seed, ShopSize(customers=customers, products=products, orders=orders))
        made = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(
            f"Seeded the lab's demo shop: {made} in {time.perf_counter() - started:.1f} s."
        )
