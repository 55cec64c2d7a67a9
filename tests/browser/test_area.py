"""A provincial reader in a real browser: from the national overview to the province, and on
to the regional picture of another region of the province, on a laptop and a tablet."""

import pytest

from capacity.services import occupancy_recompute
from municipalities.models import Municipality, SafetyRegion
from tests.browser.conftest import TABLET, login, no_sideways_scrolling, screenshot
from tests.dashboard.factories import days_ago, location_with_reports
from tests.factories import PASSWORD, KeyFigureFactory, MunicipalityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def zwolle(twente_live):
    """IJsselland (VR04) gets a municipality with an AZC next to the seeded Twente."""
    vr04 = SafetyRegion.objects.get(code="VR04")
    municipality = MunicipalityFactory(code="GM0193", name="Zwolle", safety_region=vr04)
    KeyFigureFactory(municipality=municipality, population=130_000)
    location_with_reports("AZC-ZWL", "GM0193", [(days_ago(2), 500, 480)])
    occupancy_recompute(municipality_ids=Municipality.objects.values_list("pk", flat=True))
    return municipality


@pytest.mark.parametrize("viewport", [None, TABLET], ids=["laptop", "tablet"])
def test_a_provincial_reader_goes_from_the_country_to_another_region(page, zwolle, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    UserFactory(
        username="provincie",
        role="provincial_reader",
        scope__region=SafetyRegion.objects.get(code="VR05"),
    )
    login(page, "provincie", PASSWORD)

    page.get_by_role("navigation").get_by_role("link", name="Landelijk").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Landelijk overzicht"
    regions = page.get_by_test_id("area-region-table")
    assert regions.locator("tbody tr").count() == 25
    ijsselland = regions.locator('tr[data-region="VR04"]')
    assert ijsselland.locator('[data-field="asylum_realised"]').inner_text() == "500"
    no_sideways_scrolling(page)
    screenshot(page, f"national-{'tablet' if viewport else 'laptop'}")

    page.get_by_role("link", name="Provincie Overijssel").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("area-region-table").locator("tbody tr").count() == 2
    page.get_by_test_id("area-region-table").get_by_role("link", name="IJsselland").click()
    page.wait_for_load_state("networkidle")

    assert page.get_by_role("heading", level=1).inner_text() == "Regionaal beeld IJsselland"
    table = page.get_by_test_id("municipality-table")
    assert table.locator('tr[data-municipality="GM0193"]').count() == 1
    assert table.locator('tr[data-municipality="GM0141"]').count() == 0
    # Back to the reader's own region through the region picker.
    page.get_by_label("Veiligheidsregio").select_option("VR05")
    page.get_by_role("button", name="Toon regio").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Regionaal beeld Twente"
    no_sideways_scrolling(page)
