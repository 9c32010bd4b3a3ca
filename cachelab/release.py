"""The release of the code this process runs: part of the key of every value the site caches.

Two releases run side by side during a rolling deploy and share one Redis. A value cached by
one (plain data whose shape its code decides, or HTML its templates rendered) must never be
read by the other, so each value's key names the release that stored it
(sitecache.generations). The release is:

- `CACHELAB_RELEASE` from the environment, when the deploy names it (a commit, a tag);
- otherwise a hash of the code itself: every Python file and template under the project,
  by path and content. Not `git rev-parse HEAD`: a deployed tree may have no .git, and an
  uncommitted edit on a developer's machine is a new release too, or values cached by the
  code before the edit would be read by the code after it. Hashing the files takes a few
  milliseconds, once per process, when the settings load.

Standard library only (the settings import this module; settings import no app).
"""

import hashlib
import os
import re
from pathlib import Path

ENVIRONMENT_VARIABLE = "CACHELAB_RELEASE"
SOURCE_SUFFIXES = (".py", ".html")
# Not code: the virtualenv, data, generated files, tests and version control.
SKIPPED = frozenset(
    {
        ".venv",
        ".git",
        "var",
        "staticfiles",
        "tests",
        "node_modules",
        "__pycache__",
        "bench-results",
    }
)
NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
LENGTH = 12


def source_files(root: Path) -> list[Path]:
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED)
        found += [Path(directory, name) for name in files if name.endswith(SOURCE_SUFFIXES)]
    return sorted(found)


def source_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in source_files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:LENGTH]


def code_release(root: Path, environ: dict[str, str] | None = None) -> str:
    """The release named by the environment, else the hash of the code under `root`."""
    named = (os.environ if environ is None else environ).get(ENVIRONMENT_VARIABLE, "").strip()
    if not named:
        return source_hash(root)
    if not NAME.fullmatch(named):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"{ENVIRONMENT_VARIABLE} must be 1 to 64 letters, digits, '.', '_' or '-' "
            f"(it goes into cache keys), not {named!r}."
        )
    return named
