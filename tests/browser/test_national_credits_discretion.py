"""Issue 23's pages in a browser, on a laptop and a tablet: the national figures, credited
effort on a task's page and its form, and the dashboard's national section and the number of
locations yet to open (no axe-core violations, no sideways scrolling)."""

import datetime
from decimal import Decimal

import pytest

from allocation.choices import CreditKind
from allocation.models import Assignment
from allocation.services import credit_create
from capacity.choices import LocationStatus
from capacity.national.services import national_figure_record
from municipalities.models import Municipality, SafetyRegion
from tests.browser.axe import axe_violations
from tests.browser.conftest import TABLET, login, no_sideways_scrolling, screenshot
from tests.capacity.factories import LocationFactory
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(twente_live):
    twente = SafetyRegion.objects.get(code="VR05")
    borne = Municipality.objects.get(code="GM0147")
    hengelo = Municipality.objects.get(code="GM0164")
    UserFactory(username="coordinator", role="coordinator", scope__region=twente)
    UserFactory(username="pl-borne", role="project_leader", scope__municipality=borne)
    national_figure_record(
        target_group="ukraine",
        date=datetime.date(2022, 7, 7),
        available_places=4919,
        occupancy_rate=Decimal("0.92"),
        source="Verslag BAO juli 2022",
    )
    LocationFactory(
        code="HGL-PLAN",
        name="Kazerne Hengelo",
        municipality=hengelo,
        status=LocationStatus.PLANNED,
        latitude="52.2650",
        longitude="6.7930",
    )
    task = Assignment.objects.get(code="asylum-cno-2022-10")
    credit_create(
        assignment=task,
        municipality=borne,
        kind=CreditKind.PLANNED,
        places=10,
        due_on=datetime.date(2022, 10, 1),
        reason="weggestreept vanwege de geplande inspanning",
    )
    return task


@pytest.mark.parametrize("size", ["laptop", "tablet"])
def test_the_pages_of_issue_23_are_accessible(page, world, size):
    if size == "tablet":
        page.set_viewport_size(TABLET)
    login(page, "coordinator", PASSWORD)
    for path, name in [
        ("/national-figures/", "national-figures"),
        (f"/allocations/{world.code}/", "assignment-credits"),
        (f"/allocations/{world.code}/credits/new/", "credit-form"),
        ("/?date=2022-07-10", "dashboard-national"),
    ]:
        page.goto(f"{page.base_url}{path}")
        page.wait_for_load_state("networkidle")
        assert axe_violations(page) == [], path
        no_sideways_scrolling(page)
        screenshot(page, f"issue23-{name}-{size}")
    assert "4.919" in page.get_by_test_id("national-ukraine").inner_text()
    assert page.console_errors == []


def test_borne_sees_hengelos_planned_location_as_a_number(page, world):
    login(page, "pl-borne", PASSWORD)
    page.goto(f"{page.base_url}/")
    page.wait_for_load_state("networkidle")
    assert "Hengelo: 1 locatie" in page.get_by_test_id("undisclosed").inner_text()
    assert "Kazerne Hengelo" not in page.content()
    assert axe_violations(page) == []
    assert page.console_errors == []
