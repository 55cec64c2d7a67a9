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


def test_a_portfolio_shows_its_decisions_and_open_actions(page):
    """From the meetings list to a portfolio (issue 20); both portfolio pages pass axe-core."""
    from meetings.portfolios import portfolio_create, spearhead_add
    from tests.meetings.factories import ActionFactory, EntryFactory

    hellendoorn = MunicipalityFactory(code="GM0163", name="Hellendoorn")
    wierden = MunicipalityFactory(
        code="GM0189", name="Wierden", safety_region=hellendoorn.safety_region
    )
    tra = BodyFactory(code="TRA", safety_region=hellendoorn.safety_region)
    portfolio = portfolio_create(body=tra, theme="wonen", holders=[hellendoorn, wierden])
    spearhead_add(
        portfolio=portfolio,
        goal="Vijftig woningen voor statushouders",
        target_date=datetime.date(2024, 12, 31),
    )
    meeting = MeetingFactory(body=tra, date=datetime.date(2024, 1, 24))
    item = AgendaItemFactory(meeting=meeting, number="4", title="Huisvesting", portfolio=portfolio)
    EntryFactory(item=item, kind="B", text="Besluit over flexwonen")
    ActionFactory(item=item, text="Locaties inventariseren", due_date=datetime.date(2024, 3, 13))
    UserFactory(username="pl", role="project_leader", scope__municipality=hellendoorn)
    login(page, "pl", PASSWORD)
    page.goto(f"{page.base_url}/meetings/")
    page.get_by_role("link", name="Portefeuilles").click()
    page.wait_for_url("**/meetings/portefeuilles/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Wonen").click()
    page.wait_for_url(f"**/meetings/portefeuilles/{portfolio.pk}/")
    assert "Besluit over flexwonen" in page.get_by_test_id("portfolio-decisions").inner_text()
    actions = page.get_by_test_id("portfolio-actions").inner_text()
    assert "Locaties inventariseren" in actions and "13-03-2024" in actions
    screenshot(page, "portfolio")
    assert axe_violations(page) == []
    assert page.console_errors == []
