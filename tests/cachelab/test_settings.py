"""Settings as a process sees them at start, including the ones that must refuse to start."""

import os
import subprocess
import sys

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.memcached import PyMemcacheCache
from django.core.cache.backends.redis import RedisCache
from django.utils.module_loading import import_string
from django_redis.cache import RedisCache as DjangoRedisCache

from cachelab.release import code_release
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
    """The settings name them as strings (settings import no app): they must be the
    catalogue's aliases, and Memcached's is Django's PyMemcacheCache with the wire's sockets."""
    backends = {b.name: import_string(settings.CACHES[b.alias]["BACKEND"]) for b in CACHE_BACKENDS}
    assert backends["locmem"] is LocMemCache
    assert backends["redis"] is RedisCache
    assert backends["django-redis"] is DjangoRedisCache
    assert backends["memcached"].__mro__[1] is PyMemcacheCache


def test_the_settings_import_no_app() -> None:
    apps = [config.name for config in django_apps.get_app_configs()]
    code = (
        "import sys; import cachelab.settings;"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({apps!r})))"
    )
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "cachelab.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['cachelab']"  # the project package only configures


def test_sessions_live_in_the_database_alone() -> None:
    """Redis is a cache, not the truth: a session copy there could outlive a log-out."""
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_the_release_is_in_the_settings_and_follows_the_code(tmp_path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text("x = 1\n")
    before = code_release(tmp_path, environ={})
    (tmp_path / "app" / "views.py").write_text("x = 2\n")
    assert code_release(tmp_path, environ={}) != before
    assert code_release(tmp_path, environ={"CACHELAB_RELEASE": "v1.2"}) == "v1.2"
    assert settings.CACHELAB_RELEASE


def test_a_release_name_that_cannot_go_into_a_key_stops_the_start() -> None:
    result = start_django(CACHELAB_RELEASE="v1 with spaces")
    assert result.returncode != 0
    assert "CACHELAB_RELEASE" in result.stderr
