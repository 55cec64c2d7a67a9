"""The "Meldingen" page and the reminder history in a real browser, with axe-core."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.axe import axe_violations
from tests.browser.conftest import login, screenshot
from tests.capacity.factories import LocationFactory
from tests.factories import PASSWORD, MunicipalityFactory, UserFactory
from twente.notifications.models import NotificationLog, NotificationSettings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_project_leader_chooses_their_reminders(page):
    enschede = MunicipalityFactory(code="GM0153", name="Enschede")
    UserFactory(
        username="projectleider",
        email="pl@example.nl",
        role="project_leader",
        scope__municipality=enschede,
    )
    login(page, "projectleider", PASSWORD)
    page.get_by_role("link", name="Meldingen").click()
    page.wait_for_url("**/notifications/")
    assert page.get_by_label(
        "Herinnering als een locatie deze week nog niet is geteld"
    ).is_checked()
    assert "pl@example.nl" in page.get_by_test_id("email").inner_text()
    screenshot(page, "notifications-settings")
    assert axe_violations(page) == []

    page.get_by_label("Herinnering bij acties op mijn naam").uncheck()
    page.get_by_label("Dag van de herinnering").select_option(label="dinsdag")
    page.get_by_label("Tijd van de herinnering").select_option("14:00")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state("networkidle")
    assert "opgeslagen" in page.get_by_role("status").first.inner_text()
    prefs = NotificationSettings.objects.get(user__username="projectleider")
    assert (prefs.action_reminder, prefs.reminder_weekday, prefs.reminder_time) == (
        False,
        1,
        datetime.time(14, 0),
    )
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_the_completeness_page_with_reminders_passes_axe(page):
    enschede = MunicipalityFactory(code="GM0153", name="Enschede")
    LocationFactory(code="ENS-CNO", name="CNO Enschede", municipality=enschede)
    leader = UserFactory(
        username="pl", email="pl@example.nl", role="project_leader", scope__municipality=enschede
    )
    UserFactory(username="coordinator", role="coordinator")
    today = timezone.localdate()
    year, week, _ = today.isocalendar()
    NotificationLog.objects.create(
        recipient=leader,
        kind="report_reminder",
        period=f"{year}-W{week:02d}-1",
        status="sent",
        municipality=enschede,
        details={"round": 1, "locations": ["ENS-CNO"]},
        sent_at=timezone.now(),
    )
    login(page, "coordinator", PASSWORD)
    page.get_by_role("link", name="Meldingsstatus").click()
    page.wait_for_load_state("networkidle")
    cell = page.locator('tr[data-municipality="GM0153"] [data-testid="reminders"]')
    assert "1e herinnering" in cell.inner_text() and "Daarna nog niet gemeld" in cell.inner_text()
    screenshot(page, "counts-status-reminders")
    assert axe_violations(page) == []
