"""axe-core accessibility checks on the page a browser test has open.

axe-core comes with the axe-playwright-python package (a dev dependency), so nothing is
fetched at run time; Playwright evaluates it in the page, which the CSP allows (scripts run
through the DevTools protocol are not the page's own).
"""

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.1 A and AA, the level Dutch government sites must meet, plus axe's best practices.
OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}


def axe_violations(page) -> list[str]:
    """One line per violated rule: its id, impact and the elements that break it."""
    results = Axe().run(page, options=OPTIONS).response
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results["violations"]
    ]
