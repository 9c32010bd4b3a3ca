"""Settings for Cache Lab.

Defaults run a fresh checkout on one machine (SQLite, Redis and Memcached on 127.0.0.1,
DEBUG on). Production reads everything from the environment; see README.md.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from cachelab.cache_config import build_caches
from cachelab.env import (
    env_bool,
    env_email_url,
    env_host_port_list,
    env_int,
    env_list,
    env_redis_url,
    env_str,
)
from cachelab.release import code_release

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CACHELAB_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "accounts",  # before admin: its registration/ templates replace the admin's
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "cachelab",  # the base templates and static files
    "home",
    "learners",
    "ops",
    "lessons",
    "quiz",
    "sandbox",
    "lab",
    "learn",
    "challenges",
    "flashcards",
    "spotbug",
    "cheatsheet",
    "sitecache",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cachelab.urls"
WSGI_APPLICATION = "cachelab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL is None:  # a fresh checkout: SQLite under var/
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        # Persistent connections: measured to serve noticeably more requests per second.
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600, minimum=0),
        conn_health_checks=True,
    )
}

REDIS_URL = env_redis_url("REDIS_URL", "redis://127.0.0.1:6379/0")
MEMCACHED_SERVERS = env_host_port_list("MEMCACHED_SERVERS", ["127.0.0.1:11211"])
CACHES = build_caches(REDIS_URL, MEMCACHED_SERVERS)
# Named in the key of every value the site caches (sitecache.generations), so two releases
# sharing Redis during a rolling deploy never read each other's values: see cachelab.release.
CACHELAB_RELEASE = code_release(BASE_DIR)

# Sessions identify learners (and who is signed in), so every app server must see the same
# ones, and a log-out must never be undone by a cache: kept in the database only. Redis is
# a cache, not the truth: a session cached there could outlive a log-out whose cache delete
# failed. One indexed query per request that needs the session, about what a Redis read
# costs (see README, "The site's own caching").
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Behind a load balancer that terminates TLS and sets X-Forwarded-Proto.
if env_bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=False)
# Health checks answer over plain HTTP too: a load balancer probes the app hosts directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^healthz/ready$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0, minimum=0)

# How many proxies in front of the app servers append to X-Forwarded-For (nginx: 1). The
# client's address is the entry they wrote (ops.clients); 0 ignores the header.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0, minimum=0)

# Sandbox rate limits: calls per learner (session) and per client address, per minute.
SANDBOX_CALLS_PER_MINUTE = env_int("SANDBOX_CALLS_PER_MINUTE", 120, minimum=1)
SANDBOX_CALLS_PER_MINUTE_PER_ADDRESS = env_int(
    "SANDBOX_CALLS_PER_MINUTE_PER_ADDRESS", 1200, minimum=1
)

# Lab experiments (each holds a worker for seconds): at most this many at once on the whole
# site, and this many started per client address per minute; more get 429.
LAB_EXPERIMENTS_AT_ONCE = env_int("LAB_EXPERIMENTS_AT_ONCE", 2, minimum=1)
LAB_EXPERIMENTS_PER_MINUTE_PER_ADDRESS = env_int(
    "LAB_EXPERIMENTS_PER_MINUTE_PER_ADDRESS", 10, minimum=1
)
# Accounts created per client address per hour; more get 429.
SIGNUPS_PER_HOUR_PER_ADDRESS = env_int("SIGNUPS_PER_HOUR_PER_ADDRESS", 20, minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts: django.contrib.auth's views (accounts/urls.py). Nothing needs an account.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "progress"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before any password is checked.
    "accounts.backends.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins are counted per account and, separately, per client address; either count
# reaching the limit locks that account or address out for the cool-off time.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "ops.clients.client_ip"  # behind nginx: the client's
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # keep failures only, not a log of every learner's logins
AXES_VERBOSE = False

# `manage.py prune` forgets anonymous learners' work and login failures older than this.
RETENTION_DAYS = env_int("RETENTION_DAYS", 90, minimum=1)

EMAIL = env_email_url("EMAIL_URL", "console:")
EMAIL_BACKEND = EMAIL.backend
EMAIL_HOST = EMAIL.host
EMAIL_PORT = EMAIL.port
EMAIL_HOST_USER = EMAIL.user
EMAIL_HOST_PASSWORD = EMAIL.password
EMAIL_USE_TLS = EMAIL.use_tls
EMAIL_USE_SSL = EMAIL.use_ssl
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Cache Lab <noreply@localhost>")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# `make bench` writes its results here (committed with the README's table); the lab's
# /lab/figures/bench/ fragment reads them.
CACHELAB_BENCH_RESULTS = BASE_DIR / "bench-results" / "latest.json"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
