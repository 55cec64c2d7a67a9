"""A project leader annotates the agenda in a real browser; the pages pass axe-core."""

import datetime

import pytest

from meetings.models import PrivateAnnotation
from tests.browser.axe import axe_violations
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD, MunicipalityFactory, UserFactory
from tests.meetings.factories import AgendaItemFactory, BodyFactory, MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_project_leader_writes_and_prints_an_annotation(page):
    hellendoorn = MunicipalityFactory(code="GM0163", name="Hellendoorn")
    meeting = MeetingFactory(
        body=BodyFactory(code="TRA", safety_region=hellendoorn.safety_region),
        date=datetime.date(2024, 1, 24),
    )
    AgendaItemFactory(meeting=meeting, number="4.1", title="Derdelanders")
    UserFactory(username="pl", role="project_leader", scope__municipality=hellendoorn)
    login(page, "pl", PASSWORD)
    page.goto(f"{page.base_url}/meetings/{meeting.pk}/annotaties/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Annotatie bij 4.1 schrijven").click()
    page.get_by_label("Instemmen", exact=True).check()
    page.get_by_label("Annotatie").fill("Ter info: het aantal derdelanders is 14")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/annotaties/**")
    assert "Ter info" in page.get_by_test_id("own-annotation").inner_text()
    assert PrivateAnnotation.objects.get().advice == "agree"
    page.get_by_role("link", name="Afdrukversie").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "annotated-agenda-print")
    assert axe_violations(page) == []
    assert page.console_errors == []
