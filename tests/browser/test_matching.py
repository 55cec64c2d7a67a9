import pytest
from django.utils import timezone

from capacity.choices import LocationStatus, LocationType, ReportSource, TargetGroup
from capacity.models import CapacityReport, Location
from matching.models import Placement
from municipalities.models import Municipality
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ukraine_location_with_ten_free_places() -> Location:
    location = Location.objects.create(
        code="UKR-ENS-01",
        name="Opvang Oekraïne Enschede",
        municipality=Municipality.objects.get(code="GM0153"),
        place="Enschede",
        type=LocationType.UKRAINE_MUNICIPAL,
        target_group=TargetGroup.UKRAINE,
        status=LocationStatus.OPERATIONAL,
        contact_name="Anna de Vries",
        contact_phone="053-4811111",
        family_rooms=True,
    )
    CapacityReport.objects.create(
        location=location,
        date=timezone.localdate(),
        capacity=40,
        occupied=30,
        source=ReportSource.FORM,
    )
    return location


def test_the_phone_team_finds_places_and_places_three_people(page, twente_live):
    location = ukraine_location_with_ten_free_places()
    UserFactory(username="telefoonteam", role="coordinator")
    login(page, "telefoonteam", PASSWORD)

    page.get_by_role("link", name="Matching").click()
    page.get_by_label("Aantal personen").fill("3")
    page.get_by_label("Doelgroep").select_option("ukraine")
    page.get_by_label("Categorie").select_option("third_country_ukraine")
    page.get_by_label("Gezinskamer nodig").check()
    page.get_by_label("Voorkeursgemeente").select_option(label="Enschede")
    page.locator("#id_origin").select_option("municipal_desk")
    screenshot(page, "matching-request")
    page.get_by_role("button", name="Zoek plekken").click()

    row = page.locator('tr[data-location="UKR-ENS-01"]')
    assert row.locator('[data-testid="free"]').inner_text() == "10"
    assert "053-4811111" in row.inner_text()
    assert "voorkeur" in row.inner_text()
    screenshot(page, "matching-results")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    row.get_by_role("button", name="Plaatsen in Opvang Oekraïne Enschede").click()
    page.wait_for_load_state("networkidle")
    assert (
        "3 personen geplaatst in Opvang Oekraïne Enschede"
        in page.get_by_role("status").first.inner_text()
    )
    assert page.locator('tr[data-location="UKR-ENS-01"] [data-testid="free"]').inner_text() == "7"
    placements = page.locator('[data-testid="request-placements"]')
    assert "Derdelanders" in placements.inner_text()
    screenshot(page, "matching-placed")

    page.get_by_role("link", name="Alle plaatsingen").click()
    counts = page.locator('[data-testid="placement-counts"]')
    assert "Enschede" in counts.inner_text()
    assert "Derdelanders" in counts.inner_text()
    screenshot(page, "matching-placements")

    # The dashboard shows the placement of the last 7 days and the lower free places.
    page.get_by_role("link", name="Overzicht").click()
    placed = page.get_by_test_id("placements-table")
    assert "Derdelanders" in placed.inner_text()
    assert "3" in placed.locator("tbody tr").first.inner_text()
    screenshot(page, "matching-dashboard")

    placement = Placement.objects.get()
    assert (placement.location, placement.people) == (location, 3)
    assert CapacityReport.objects.get(location=location, date=timezone.localdate()).occupied == 33
    assert page.console_errors == []
