from lessons.content import FIXTURE_PATH, fixture_text

FIXTURE_PATH.parent.mkdir(exist_ok=True)
FIXTURE_PATH.write_text(fixture_text())
print(f"wrote {FIXTURE_PATH}")
