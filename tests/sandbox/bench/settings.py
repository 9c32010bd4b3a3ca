"""Settings for the sandbox benchmark: the real ones, plus a bare view to compare against and
a rate limit high enough that wrk measures the sandbox, not its 429 answer."""

from cachelab.settings import *  # noqa: F403

ROOT_URLCONF = "tests.sandbox.bench.urls"
SANDBOX_CALLS_PER_MINUTE = 10**9
SANDBOX_CALLS_PER_MINUTE_PER_ADDRESS = 10**9
