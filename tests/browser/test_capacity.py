import pytest

from capacity.models import CapacityReport, Location
from municipalities.models import Municipality
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def project_leader_of_enschede():
    return UserFactory(
        username="projectleider",
        role="project_leader",
        scope__municipality=Municipality.objects.get(code="GM0153"),
    )


def test_a_project_leader_enters_the_weekly_counts(page, twente_live):
    project_leader_of_enschede()
    # The seeds' CNO contracts ended on 31-07-2023; this one was extended, so it reports.
    Location.objects.filter(code="CNO-ENS-01").update(contract_end=None)
    login(page, "projectleider", PASSWORD)
    page.get_by_role("link", name="Weektelling").click()
    # The reference data's CNO contracts end on 31-07-2023; after that a count for them is
    # refused (issue 14), so this count is for a date within the contract.
    page.get_by_label("Peildatum", exact=True).fill("2023-07-03")
    page.get_by_role("button", name="Toon").click()
    row = page.locator('tr[data-location="CNO-ENS-01"]')
    assert row.get_by_label("Capaciteit CNO Enschede").input_value() == "59"
    row.get_by_label("Bezet CNO Enschede").fill("70")
    page.get_by_role("button", name="Alles opslaan").first.click()
    assert "Bezet (70) kan niet hoger zijn dan de capaciteit (59)." in row.inner_text()
    screenshot(page, "capacity-weekly-counts-error")
    assert not CapacityReport.objects.filter(source="form").exists()

    row.get_by_label("Bezet CNO Enschede").fill("50")
    row.get_by_label("Bezet CNO Enschede").press("Enter")  # Enter saves, not "Ongewijzigd"
    page.wait_for_load_state("networkidle")
    assert "Telling van" in page.get_by_role("status").first.inner_text()
    assert CapacityReport.objects.get(source="form").occupied == 50
    screenshot(page, "capacity-weekly-counts-saved")
    assert page.console_errors == []


def test_the_location_pages_fit_a_laptop_and_a_tablet(chromium_browser, live_server, twente_live):
    UserFactory(username="coordinator", role="coordinator")
    for width, height in [(1366, 768), (768, 1024)]:
        context = chromium_browser.new_context(
            viewport={"width": width, "height": height}, locale="nl-NL"
        )
        browser_page = context.new_page()
        browser_page.base_url = live_server.url
        login(browser_page, "coordinator", PASSWORD)
        for path, name in [
            ("/locations/", "locations"),
            ("/locations/AZC-HGL/", "location-detail"),
            ("/counts/?municipality=GM1735", "weekly-counts"),
            ("/counts/status/", "counts-status"),
            ("/locations/AZC-HGL/edit/", "location-edit"),
        ]:
            browser_page.goto(f"{live_server.url}{path}")
            # Wide tables scroll inside their container; the page itself does not.
            assert browser_page.evaluate("document.documentElement.scrollWidth") <= width, path
            screenshot(browser_page, f"capacity-{name}-{width}")
        context.close()
