"""Settings as a process sees them at start, including the ones that must refuse to start."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from sandbox.catalogue import CACHE_BACKENDS


def start_django(**env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    environ.pop("DATABASE_URL", None)
    environ.pop("MEMCACHED_SERVERS", None)
    environ.update(env, DJANGO_SETTINGS_MODULE="cachelab.settings")
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=60
    )


def test_a_fresh_checkout_starts_with_no_environment_at_all() -> None:
    result = start_django()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DJANGO_DEBUG", "maybe"),
        ("DJANGO_CONN_MAX_AGE", "forever"),
        ("REDIS_URL", "localhost:6379"),
        ("MEMCACHED_SERVERS", "127.0.0.1"),
        ("DJANGO_ALLOWED_HOSTS", "example.com,,"),
        ("DJANGO_HSTS_SECONDS", "-5"),
        ("DJANGO_BEHIND_TLS_PROXY", "sure"),
        ("RETENTION_DAYS", "0"),
    ],
)
def test_an_invalid_value_stops_the_start_and_names_the_variable(variable: str, value: str) -> None:
    result = start_django(**{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_production_without_a_secret_key_refuses_to_start() -> None:
    result = start_django(DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_come_from_the_environment() -> None:
    code_env = {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "cachelab.example",
        "DATABASE_URL": "postgres://lab:pw@db.internal:5432/cachelab",
        "REDIS_URL": "redis://cache.internal:6379/2",
        "MEMCACHED_SERVERS": "mc1.internal:11211,mc2.internal:11211",
        "DJANGO_BEHIND_TLS_PROXY": "true",
        "DJANGO_SSL_REDIRECT": "true",
        "DJANGO_HSTS_SECONDS": "3600",
    }
    environ = {**os.environ, **code_env, "DJANGO_SETTINGS_MODULE": "cachelab.settings"}
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'],"
        " s.CACHES['default']['LOCATION'], s.CACHES['sandbox-memcached']['LOCATION'],"
        " s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER[0],"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.internal",
        "redis://cache.internal:6379/2",
        "['mc1.internal:11211',",
        "'mc2.internal:11211']",
        "['cachelab.example']",
        "True",
        "HTTP_X_FORWARDED_PROTO",
        "True",
        "3600",
    ]


def test_every_cache_alias_has_its_own_key_prefix() -> None:
    prefixes = [alias["KEY_PREFIX"] for alias in settings.CACHES.values()]
    assert len(prefixes) == len(set(prefixes))


def test_the_sandbox_has_the_four_backends_it_compares() -> None:
    backends = {b.name: settings.CACHES[b.alias]["BACKEND"] for b in CACHE_BACKENDS}
    assert backends == {
        "locmem": "django.core.cache.backends.locmem.LocMemCache",
        "redis": "django.core.cache.backends.redis.RedisCache",
        "django-redis": "django_redis.cache.RedisCache",
        "memcached": "django.core.cache.backends.memcached.PyMemcacheCache",
    }


def test_sessions_are_shared_by_every_app_process() -> None:
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    session_cache = settings.CACHES[settings.SESSION_CACHE_ALIAS]["BACKEND"]
    assert "locmem" not in session_cache.lower()
