"""Settings for the lessons benchmark: the real ones, plus a bare view to compare against."""

from cachelab.settings import *  # noqa: F403

ROOT_URLCONF = "tests.lessons.bench.urls"
