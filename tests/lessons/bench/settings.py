"""Settings for the lessons benchmark: the real ones, plus a bare view to compare against,
and static files collected into the benchmark's own temporary directory."""

import os

from cachelab.settings import *  # noqa: F403

ROOT_URLCONF = "tests.lessons.bench.urls"
STATIC_ROOT = os.environ.get("LESSONS_BENCH_STATIC_ROOT", STATIC_ROOT)  # noqa: F405
