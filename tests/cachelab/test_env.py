import pytest
from django.core.exceptions import ImproperlyConfigured

from cachelab.env import env_bool, env_host_port_list, env_int, env_list, env_redis_url


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), ("off", False), ("no", False)]
)
def test_booleans_accept_the_usual_words(raw: str, expected: bool) -> None:
    assert env_bool("DJANGO_DEBUG", default=not expected, environ={"DJANGO_DEBUG": raw}) is expected


def test_unset_or_blank_variables_give_the_default() -> None:
    assert env_bool("DJANGO_DEBUG", default=True, environ={}) is True
    assert env_int("DJANGO_CONN_MAX_AGE", 600, environ={"DJANGO_CONN_MAX_AGE": "  "}) == 600


def test_a_bad_boolean_names_the_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG='maybe' is not a boolean"):
        env_bool("DJANGO_DEBUG", default=True, environ={"DJANGO_DEBUG": "maybe"})


def test_a_bad_integer_names_the_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match="DJANGO_CONN_MAX_AGE='ten' is not a whole"):
        env_int("DJANGO_CONN_MAX_AGE", 600, environ={"DJANGO_CONN_MAX_AGE": "ten"})


def test_an_integer_below_its_minimum_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="below the minimum of 0"):
        env_int("DJANGO_CONN_MAX_AGE", 600, environ={"DJANGO_CONN_MAX_AGE": "-1"}, minimum=0)


def test_lists_split_on_commas_and_refuse_empty_items() -> None:
    environ = {"DJANGO_ALLOWED_HOSTS": "a.example, b.example"}
    assert env_list("DJANGO_ALLOWED_HOSTS", [], environ=environ) == ["a.example", "b.example"]
    with pytest.raises(ImproperlyConfigured, match=r"DJANGO_ALLOWED_HOSTS.*empty item"):
        env_list("DJANGO_ALLOWED_HOSTS", [], environ={"DJANGO_ALLOWED_HOSTS": "a,,b"})


def test_several_memcached_servers_are_allowed() -> None:
    environ = {"MEMCACHED_SERVERS": "10.0.0.5:11211,10.0.0.6:11211"}
    assert env_host_port_list("MEMCACHED_SERVERS", [], environ=environ) == [
        "10.0.0.5:11211",
        "10.0.0.6:11211",
    ]


@pytest.mark.parametrize("bad", ["10.0.0.5", "10.0.0.5:port", ":11211", "host:99999"])
def test_a_memcached_server_without_a_port_is_refused(bad: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="MEMCACHED_SERVERS item"):
        env_host_port_list("MEMCACHED_SERVERS", [], environ={"MEMCACHED_SERVERS": bad})


def test_a_redis_url_needs_a_redis_scheme() -> None:
    assert env_redis_url("REDIS_URL", "redis://x/0", environ={}) == "redis://x/0"
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL='http://x' must start with"):
        env_redis_url("REDIS_URL", "redis://x/0", environ={"REDIS_URL": "http://x"})
