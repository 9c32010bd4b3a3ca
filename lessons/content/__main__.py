import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cachelab.settings")
django.setup()

from lessons.content import FIXTURE_PATH, fixture_text  # noqa: E402  (after setup)

FIXTURE_PATH.parent.mkdir(exist_ok=True)
FIXTURE_PATH.write_text(fixture_text())
print(f"wrote {FIXTURE_PATH}")
