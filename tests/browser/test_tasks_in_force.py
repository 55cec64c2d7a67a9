"""Issue 23 in a real browser: the tasks in force with their parts on the dashboard, a task
that has ended, and the province's task over its regions, on a laptop and a tablet, with no
axe-core violations."""

import pytest

from tests.browser.axe import axe_violations
from tests.browser.conftest import TABLET, login, no_sideways_scrolling, screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [None, TABLET], ids=["laptop", "tablet"])
def test_the_tasks_in_force_and_the_provincial_task_read_well(page, twente_live, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    UserFactory(username="coordinator", role="coordinator")
    login(page, "coordinator", PASSWORD)
    name = "tablet" if viewport else "laptop"

    page.goto(f"{page.base_url}/?date=2022-09-15")
    table = page.get_by_test_id("tasks-in-force-table")
    assert table.locator("tr[data-task]").count() == 4  # crisis, regular and its AMV, Ukraine
    part = table.locator('tr[data-task="asylum-2023-04-amv"]')
    assert part.locator("th").inner_text().startswith("waarvan")
    assert axe_violations(page) == []
    no_sideways_scrolling(page)
    screenshot(page, f"tasks-in-force-{name}")

    # The crisis task after its period: "afgelopen" with its final result.
    table.get_by_role("link", name="Crisisnoodopvang 225 asielzoekers gedurende 3 maanden").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("ended").inner_text() == "afgelopen"
    assert axe_violations(page) == []
    no_sideways_scrolling(page)

    page.goto(f"{page.base_url}/dashboard/province/?province=PV23&date=2022-12-01")
    task = page.locator('[data-task="asylum-overijssel-2023-04"]')
    assert task.locator('tr[data-area="VR05"] [data-field="realised"]').inner_text() == "644"
    assert axe_violations(page) == []
    no_sideways_scrolling(page)
    screenshot(page, f"provincial-task-{name}")
    assert page.console_errors == []
