"""Accounts created per client address are limited (counted in the real Redis)."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from cachelab.cache_config import build_caches
from tests.accounts.conftest import PASSWORD
from tests.servers import address_of_a_stopped_server

pytestmark = pytest.mark.django_db


def sign_up(username: str, address: str = "10.0.0.7"):
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD}
    return Client(REMOTE_ADDR=address).post("/accounts/signup/", data)


@override_settings(SIGNUPS_PER_HOUR_PER_ADDRESS=2)
def test_one_address_may_create_only_so_many_accounts_an_hour() -> None:
    assert sign_up("ada").status_code == 302
    assert sign_up("grace").status_code == 302
    refused = sign_up("linus")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    text = refused.content.decode()
    assert "2 accounts were created from your address this hour" in text
    assert 'value="linus"' in text  # the form comes back as typed
    assert not get_user_model().objects.filter(username="linus").exists()
    assert sign_up("linus", address="10.0.0.8").status_code == 302


@override_settings(SIGNUPS_PER_HOUR_PER_ADDRESS=1)
def test_a_refused_form_does_not_count_against_the_address() -> None:
    weak = {"username": "ada", "password1": "12345678", "password2": "12345678"}
    assert Client(REMOTE_ADDR="10.0.0.7").post("/accounts/signup/", weak).status_code == 200
    assert sign_up("ada").status_code == 302


def test_when_redis_is_down_signing_up_still_works(caplog) -> None:
    dead_redis = build_caches(settings.REDIS_URL, settings.MEMCACHED_SERVERS)
    dead_redis["default"]["LOCATION"] = f"redis://{address_of_a_stopped_server()}/0"
    with override_settings(CACHES=dead_redis):
        assert sign_up("ada").status_code == 302
    assert "Sign-up limit not counted" in caplog.text
