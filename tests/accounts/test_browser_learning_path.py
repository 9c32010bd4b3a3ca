"""One learner's path in Chromium: anonymous work, sign-up, progress on another device, review."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.accounts.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_up(page: Page, username: str) -> None:
    page.get_by_role("banner").get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign up").click()


def log_in(page: Page, username: str) -> None:
    page.get_by_role("banner").get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def log_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()


def test_a_learner_signs_up_logs_out_and_logs_in_again(page: Page, browser, live_server) -> None:
    page.goto("/")
    sign_up(page, "ada")
    page.wait_for_url(re.compile(r"/progress/$"))
    expect(page.get_by_role("banner")).to_contain_text("Signed in as ada")
    log_out(page)

    other_device = browser.new_context(base_url=live_server.url).new_page()
    other_device.goto("/quiz/")
    log_in(other_device, "ada")
    other_device.wait_for_url(re.compile(r"/progress/$"))
    expect(other_device.get_by_role("banner")).to_contain_text("Signed in as ada")
    other_device.context.close()
