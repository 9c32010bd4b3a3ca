"""axe-core in a Playwright page: the serious and critical accessibility violations it finds.

axe-core's own build comes inside the axe-playwright-python package from PyPI (a test
dependency, so `make test` installs it); only its axe.min.js is used here.
"""

from importlib.resources import files

AXE = files("axe_playwright_python") / "axe.min.js"
SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    """Each serious or critical violation on the page as "rule: target, target"."""
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{violation['id']}: {', '.join(str(node['target']) for node in violation['nodes'])}"
        for violation in result["violations"]
        if violation["impact"] in SERIOUS
    ]


def overflows_horizontally(page) -> bool:
    """Wider than the viewport: a phone would have to scroll sideways."""
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
