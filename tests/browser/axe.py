"""axe-core (shipped in axe-playwright-python) against the page the browser shows."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def axe_violations(page) -> list[str]:
    """The axe-core rules the current page breaks, one line each (empty: none)."""
    results = _axe.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"{[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
    ]
