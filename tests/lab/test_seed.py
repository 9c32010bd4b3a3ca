import pytest
from django.core.management import CommandError, call_command

from lab.models import Customer, Order, OrderLine, Product
from lab.seed import seed_shop
from tests.lab.conftest import SMALL_SHOP

pytestmark = pytest.mark.django_db


def all_rows() -> dict[str, list[tuple]]:
    return {
        model.__name__: list(model.objects.order_by("pk").values_list())
        for model in (Customer, Product, Order, OrderLine)
    }


def test_the_same_seed_generates_the_same_rows_twice() -> None:
    seed_shop(seed=3, size=SMALL_SHOP)
    first = all_rows()
    seed_shop(seed=3, size=SMALL_SHOP)
    assert all_rows() == first
    assert len(first["OrderLine"]) > SMALL_SHOP.orders


def test_another_seed_generates_other_rows() -> None:
    seed_shop(seed=3, size=SMALL_SHOP)
    first = all_rows()
    seed_shop(seed=4, size=SMALL_SHOP)
    assert all_rows()["OrderLine"] != first["OrderLine"]


def test_seed_lab_skips_a_shop_that_is_already_there(capsys) -> None:
    call_command("seed_lab", "--customers=20", "--products=10", "--orders=50")
    call_command("seed_lab", "--customers=30", "--products=10", "--orders=50")
    assert Customer.objects.count() == 20
    assert "already there" in capsys.readouterr().out


def test_seed_lab_force_rebuilds_with_the_new_sizes() -> None:
    call_command("seed_lab", "--customers=20", "--products=10", "--orders=50")
    call_command("seed_lab", "--customers=30", "--products=10", "--orders=60", "--force")
    assert Customer.objects.count() == 30
    assert Order.objects.count() == 60


def test_seed_lab_refuses_a_shop_without_customers() -> None:
    with pytest.raises(CommandError, match="not a positive whole number"):
        call_command("seed_lab", "--customers=0")
    assert not Customer.objects.exists()


def test_a_shop_with_fewer_products_than_lines_per_order_still_seeds() -> None:
    call_command("seed_lab", "--customers=3", "--products=2", "--orders=10")
    assert OrderLine.objects.count() >= 10
