"""Strict readers for settings that come from the environment.

Each helper returns the default when the variable is unset (or empty) and raises
ImproperlyConfigured naming the variable when its value cannot be understood, so a
typo in production fails at start instead of silently meaning something else.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def env_str(
    name: str, default: str | None = None, environ: Mapping[str, str] | None = None
) -> str | None:
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    allowed = ", ".join(sorted(TRUE_WORDS | FALSE_WORDS))
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use one of: {allowed}.")


def env_int(
    name: str,
    default: int,
    environ: Mapping[str, str] | None = None,
    minimum: int | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    return number


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated list; blank items are an error rather than silently dropped."""
    value = _raw(name, environ)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name}={value!r} has an empty item between commas.")
    return items


def env_host_port_list(
    name: str, default: list[str], environ: Mapping[str, str] | None = None
) -> list[str]:
    """Comma-separated host:port pairs, e.g. MEMCACHED_SERVERS=10.0.0.5:11211,10.0.0.6:11211."""
    servers = env_list(name, default, environ)
    for server in servers:
        host, sep, port = server.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ImproperlyConfigured(
                f"{name} item {server!r} is not host:port (for example 127.0.0.1:11211)."
            )
    return servers


def env_redis_url(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    url = env_str(name, default, environ)
    assert url is not None
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"{name}={url!r} must start with redis://, rediss:// or unix:// "
            "(for example redis://127.0.0.1:6379/0)."
        )
    return url


@dataclass(frozen=True)
class EmailSettings:
    """Django's EMAIL_* settings, read from one URL."""

    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False


EMAIL_SCHEMES = {
    # scheme: (default port, STARTTLS, implicit TLS)
    "smtp": (25, False, False),
    "smtp+starttls": (587, True, False),
    "smtps": (465, False, True),
}


def env_email_url(
    name: str, default: str = "console:", environ: Mapping[str, str] | None = None
) -> EmailSettings:
    """Where email goes: `console:` (printed to the server's output) or an SMTP URL such as
    smtp+starttls://user:password@mail.example.com:587 (smtp://, smtps:// too; the user and
    password are percent-encoded)."""
    value = env_str(name, default, environ)
    assert value is not None
    if value == "console:":
        return EmailSettings(backend="django.core.mail.backends.console.EmailBackend")
    url = urlsplit(value)
    if url.scheme not in EMAIL_SCHEMES:
        schemes = ", ".join(["console:", *(f"{scheme}://" for scheme in EMAIL_SCHEMES)])
        raise ImproperlyConfigured(f"{name} must start with one of {schemes}.")
    try:
        port = url.port
    except ValueError:
        port = -1
    if not url.hostname or port == -1 or url.path not in ("", "/") or url.query:
        raise ImproperlyConfigured(
            f"{name} is not an SMTP URL such as "
            "smtp+starttls://user:password@mail.example.com:587 (host, optional port, no path)."
        )
    default_port, starttls, implicit_tls = EMAIL_SCHEMES[url.scheme]
    return EmailSettings(
        backend="django.core.mail.backends.smtp.EmailBackend",
        host=url.hostname,
        port=port or default_port,
        user=unquote(url.username or ""),
        password=unquote(url.password or ""),
        use_tls=starttls,
        use_ssl=implicit_tls,
    )
