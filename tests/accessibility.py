"""axe-core in a Playwright page: the serious and critical accessibility violations it finds.

axe-core comes from the npm registry (package.json pins it; `npm install` puts it in
node_modules/). Where it is not installed the check is skipped with a message saying so.
"""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    """Each serious or critical violation on the page as "rule: target, target"."""
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed ({AXE} is missing): run `npm install`.")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{violation['id']}: {', '.join(str(node['target']) for node in violation['nodes'])}"
        for violation in result["violations"]
        if violation["impact"] in SERIOUS
    ]


def overflows_horizontally(page) -> bool:
    """Wider than the viewport: a phone would have to scroll sideways."""
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
