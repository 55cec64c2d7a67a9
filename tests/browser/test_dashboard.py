"""The dashboard in a real browser: coordinators and project leaders log in through the form,
read the regional picture on a laptop and a tablet, and see their weekly counts arrive."""

import re

import pytest

from capacity.choices import LocationStatus, LocationType, TargetGroup
from capacity.services import occupancy_recompute
from municipalities.models import Municipality
from tests.browser.conftest import TABLET, login, no_sideways_scrolling, screenshot
from tests.capacity.factories import CapacityReportFactory, LocationFactory
from tests.dashboard.factories import days_ago
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _asylum_operational(page, municipality: str | None = None) -> str:
    if municipality is None:
        row = page.get_by_test_id("target-group-table").locator('tr[data-target-group="asylum"]')
        return row.locator('[data-field="operational"]').inner_text()
    row = page.get_by_test_id("municipality-table").locator(
        f'tr[data-municipality="{municipality}"]'
    )
    # The column "Gerealiseerd": for asylum seekers the operational places.
    return row.locator('[data-field="asylum_realised"]').inner_text()


def _read_the_regional_picture(page) -> None:
    # The seeds: AZC Hengelo 250 + AZC Almelo 394 + CNO Wierden 19 still count today (the
    # other CNO contracts ended in July 2023), all reported 95% full.
    sentence = page.get_by_test_id("regional-sentences").locator('[data-target-group="asylum"]')
    assert "in Twente 663 operationele plekken, 630 bezet: 95%" in sentence.inner_text()
    assert "Kantelpunt" in sentence.inner_text()
    assert page.get_by_test_id("target-group-table").locator("tbody tr").count() == 3
    assert page.get_by_test_id("municipality-table").locator("tbody tr").count() == 14
    assert page.get_by_test_id("population-total").inner_text() == "633.917"
    # The pictures were drawn: both charts and a marker per mapped location.
    for chart in ("trend-chart", "outlook-chart"):
        assert page.evaluate(f"!!window.Chart.getChart(document.getElementById('{chart}'))")
    # AZC Albergen (in preparation) is on the map too, dashed; the table counts what counts.
    # The points come after the page, from their own endpoint.
    page.wait_for_function("document.getElementById('dashboard-map').dataset.loaded")
    markers = page.locator("#dashboard-map path.leaflet-interactive")
    assert markers.count() == int(page.locator("#dashboard-map").get_attribute("data-loaded"))
    assert markers.count() == 4
    assert page.get_by_test_id("map-table").locator("tbody tr").count() == 3
    assert page.locator(".dashboard-map__label").filter(has_text="Hengelo").count() == 1


def test_a_coordinator_reads_the_dashboard_on_a_laptop_and_a_tablet(
    page, chromium_browser, twente_live
):
    UserFactory(username="coordinator", role="coordinator")
    login(page, "coordinator", PASSWORD)

    assert page.get_by_role("heading", level=1).inner_text() == "Regionaal beeld Twente"
    _read_the_regional_picture(page)
    no_sideways_scrolling(page)
    screenshot(page, "dashboard-coordinator-laptop")

    # Sorting is a plain link: largest gap first.
    page.get_by_test_id("municipality-table").get_by_role("link", name="Inwoners").click()
    page.wait_for_load_state("networkidle")
    first = page.get_by_test_id("municipality-table").locator("tbody tr").first
    assert first.locator("th").inner_text() == "Enschede"

    # The printable overview is one A4 page.
    page.get_by_test_id("print-link").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("button", name="Afdrukken").is_visible()
    page.emulate_media(media="print")
    screenshot(page, "dashboard-print")
    pdf = page.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    assert page.console_errors == []

    tablet = chromium_browser.new_context(viewport=TABLET, locale="nl-NL")
    errors = []
    tablet_page = tablet.new_page()
    tablet_page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tablet_page.on("pageerror", lambda exc: errors.append(str(exc)))
    tablet_page.base_url = page.base_url
    login(tablet_page, "coordinator", PASSWORD)
    _read_the_regional_picture(tablet_page)
    no_sideways_scrolling(tablet_page)
    screenshot(tablet_page, "dashboard-coordinator-tablet")
    tablet.close()
    assert errors == []


def test_a_project_leaders_weekly_counts_show_up_on_the_dashboard(
    page, chromium_browser, twente_live, eager_celery
):
    enschede = Municipality.objects.get(code="GM0153")
    location = LocationFactory(
        code="AZC-ENS",
        name="AZC Enschede",
        municipality=enschede,
        # An AZC: the regular asylum task counts AZC places, not crisis (CNO) places.
        type=LocationType.AZC,
        target_group=TargetGroup.ASYLUM,
        status=LocationStatus.OPERATIONAL,
        latitude="52.22150",
        longitude="6.89370",
    )
    CapacityReportFactory(location=location, date=days_ago(7), capacity=150, occupied=120)
    occupancy_recompute(municipality_ids=[enschede.pk])
    UserFactory(username="projectleider", role="project_leader", scope__municipality=enschede)
    UserFactory(username="coordinator", role="coordinator")

    login(page, "projectleider", PASSWORD)
    assert _asylum_operational(page) == "813"
    assert _asylum_operational(page, "GM0153") == "150"

    page.get_by_role("link", name="Weektelling").click()
    page.wait_for_load_state("networkidle")
    row = page.get_by_test_id("counts-table").locator('tr[data-location="AZC-ENS"]')
    row.get_by_label("Capaciteit AZC Enschede").fill("200")
    row.get_by_label("Bezet AZC Enschede").fill("180")
    page.get_by_role("button", name="Alles opslaan").first.click()
    page.wait_for_load_state("networkidle")
    assert "opgeslagen voor" in page.get_by_role("status").first.inner_text()
    screenshot(page, "dashboard-project-leader-counts")

    page.get_by_role("link", name="Overzicht").click()
    page.wait_for_load_state("networkidle")
    assert _asylum_operational(page, "GM0153") == "200"
    assert _asylum_operational(page) == "863"
    no_sideways_scrolling(page)
    screenshot(page, "dashboard-project-leader-after-counts")
    assert page.console_errors == []

    # The coordinator sees the same new figure, on a tablet.
    tablet = chromium_browser.new_context(viewport=TABLET, locale="nl-NL")
    tablet_page = tablet.new_page()
    tablet_page.base_url = page.base_url
    login(tablet_page, "coordinator", PASSWORD)
    assert _asylum_operational(tablet_page) == "863"
    sentence = tablet_page.get_by_test_id("regional-sentences").inner_text()
    assert "in Twente 863 operationele plekken, 810 bezet: 94%" in sentence
    no_sideways_scrolling(tablet_page)
    screenshot(tablet_page, "dashboard-coordinator-tablet-after-counts")
    tablet.close()
