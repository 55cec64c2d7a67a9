"""The weekly grid asks "Klopt dit?" before it saves an implausible figure (issue 14)."""

import pytest

from capacity.models import CapacityReport
from municipalities.models import Municipality
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_typo_is_held_until_the_project_leader_confirms_it(page, twente_live):
    UserFactory(
        username="projectleider",
        role="project_leader",
        scope__municipality=Municipality.objects.get(code="GM0153"),
    )
    login(page, "projectleider", PASSWORD)
    # Within the reference CNO contracts (they end on 31-07-2023).
    page.goto(f"{page.base_url}/counts/?date=2023-07-03")
    row = page.locator('tr[data-location="CNO-ENS-01"]')
    row.get_by_label("Capaciteit CNO Enschede").fill("5900")
    page.get_by_role("button", name="Alles opslaan").first.click()
    page.wait_for_load_state("networkidle")

    notice = page.get_by_test_id("counts-confirm")
    assert "Capaciteit CNO Enschede: eerder 59, nu 5900. Klopt dit?" in notice.inner_text()
    assert "eerder 59, nu 5900" in row.inner_text()  # on the row itself too
    assert row.get_by_label("Capaciteit CNO Enschede").input_value() == "5900"  # kept
    assert not CapacityReport.objects.filter(source="form").exists()
    screenshot(page, "capacity-weekly-counts-confirm")

    # Enter in a field asks again; it does not confirm.
    row.get_by_label("Bezet CNO Enschede").press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("counts-confirm").is_visible()
    assert not CapacityReport.objects.filter(source="form").exists()

    page.get_by_role("button", name="Ja, dit klopt: opslaan").click()
    page.wait_for_load_state("networkidle")
    assert "ter controle gemarkeerd" in page.get_by_role("main").inner_text()
    report = CapacityReport.objects.get(source="form", location__code="CNO-ENS-01")
    assert (report.capacity, report.flagged) == (5900, True)
    assert page.console_errors == []
