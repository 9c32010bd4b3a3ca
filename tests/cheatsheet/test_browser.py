"""The cheat sheet in Chromium: two A4 pages when printed, one readable column on a phone."""

import re

import pytest

from tests.accessibility import serious_violations
from tests.flashcards.conftest import deck  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF_PAGE = re.compile(rb"/Type\s*/Page[^s]")


def test_the_printed_sheet_fits_two_a4_pages(page, deck) -> None:  # noqa: F811
    page.goto("/cheat-sheet/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert 1 <= len(PDF_PAGE.findall(pdf)) <= 2


def test_on_a_phone_the_sheet_is_one_column_that_does_not_scroll_sideways(page, deck) -> None:  # noqa: F811
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/cheat-sheet/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first, second = page.locator(".sheet-group").nth(0), page.locator(".sheet-group").nth(1)
    assert first.bounding_box()["x"] == second.bounding_box()["x"]


def test_axe_finds_no_serious_violation_on_the_sheet(page, deck) -> None:  # noqa: F811
    page.goto("/cheat-sheet/")
    assert serious_violations(page) == []
