"""Nothing typed is lost: the grid's "Ongewijzigd" keeps the other rows' typed figures, and
leaving a data-entry form with unsaved changes asks first (static/js/warn-unsaved.js)."""

import datetime

import pytest
from django.utils import timezone

from allocation.models import Assignment
from capacity.models import CapacityReport
from tests.browser.axe import axe_violations
from tests.browser.conftest import screenshot
from tests.capacity.factories import CapacityReportFactory, LocationFactory
from tests.factories import PASSWORD, MunicipalityFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(days=7)


@pytest.fixture
def enschede(transactional_db):
    municipality = MunicipalityFactory(code="GM0153", name="Enschede")
    for code, name, occupied in [("ENS-NOORD", "CNO Noord", 56), ("ENS-ZUID", "CNO Zuid", 20)]:
        location = LocationFactory(code=code, name=name, municipality=municipality)
        CapacityReportFactory(location=location, date=LAST_WEEK, capacity=60, occupied=occupied)
    UserFactory(username="projectleider", role="project_leader", scope__municipality=municipality)
    return municipality


def log_in(page) -> None:
    page.goto(f"{page.base_url}/accounts/login/?next=/counts/")
    page.get_by_label("Gebruikersnaam").fill("projectleider")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/counts/")


class Dialogs:
    """Records the dialogs a page opens and answers them: stay (dismiss) or leave (accept)."""

    def __init__(self, page):
        self.seen: list[str] = []
        self.leave = False
        page.on("dialog", self._answer)

    def _answer(self, dialog) -> None:
        self.seen.append(dialog.type)
        if self.leave:
            dialog.accept()
        else:
            dialog.dismiss()


def test_unchanged_on_one_row_keeps_the_figures_typed_in_another(page, enschede):
    log_in(page)
    dialogs = Dialogs(page)
    noord = page.locator('tr[data-location="ENS-NOORD"]')
    zuid = page.locator('tr[data-location="ENS-ZUID"]')
    noord.get_by_label("Bezet CNO Noord").fill("52")

    zuid.get_by_role("button", name="Ongewijzigd").click()
    page.wait_for_load_state("networkidle")

    assert dialogs.seen == []  # pressing a button of the form itself does not ask
    notice = page.get_by_role("status").filter(has_text="bevestigd als ongewijzigd")
    assert notice.inner_text() == (
        "CNO Zuid is bevestigd als ongewijzigd. Uw ingevulde cijfers in de andere rijen zijn "
        "nog niet opgeslagen: controleer ze en klik op Alles opslaan."
    )
    assert noord.get_by_label("Bezet CNO Noord").input_value() == "52"
    assert noord.get_by_test_id("row-unsaved").is_visible()
    assert zuid.get_by_text("gemeld op deze datum").is_visible()
    assert list(CapacityReport.objects.filter(date=TODAY).values_list("location__code")) == [
        ("ENS-ZUID",)
    ]
    screenshot(page, "counts-unchanged-keeps-typed")
    assert axe_violations(page) == []

    # The kept figures are not saved yet, so leaving asks even before anything else changes.
    page.get_by_role("link", name="Locaties").click()
    page.wait_for_timeout(300)
    assert dialogs.seen == ["beforeunload"]
    assert page.url.endswith("/counts/")
    assert noord.get_by_label("Bezet CNO Noord").input_value() == "52"

    page.get_by_role("button", name="Alles opslaan").first.click()
    page.wait_for_load_state("networkidle")
    assert dialogs.seen == ["beforeunload"]
    assert CapacityReport.objects.get(location__code="ENS-NOORD", date=TODAY).occupied == 52
    assert "Telling van" in page.get_by_role("status").first.inner_text()
    assert page.console_errors == []


def test_leaving_a_changed_form_asks_first_and_a_saved_one_does_not(page, enschede):
    log_in(page)
    dialogs = Dialogs(page)
    # Nothing changed: leave without a question.
    page.get_by_role("link", name="Locaties").click()
    page.wait_for_url("**/locations/")
    assert dialogs.seen == []

    page.goto(f"{page.base_url}/locations/ENS-NOORD/edit/")
    assert axe_violations(page) == []
    page.get_by_label("Plaats").fill("Glanerbrug")
    page.get_by_role("link", name="Annuleren").click()
    page.wait_for_timeout(300)
    assert dialogs.seen == ["beforeunload"]
    assert page.url.endswith("/locations/ENS-NOORD/edit/")  # stayed: the change is still there
    assert page.get_by_label("Plaats").input_value() == "Glanerbrug"

    # Typing the old value back is no change.
    page.get_by_label("Plaats").fill("Enschede")
    page.get_by_role("link", name="Annuleren").click()
    page.wait_for_url("**/locations/ENS-NOORD/")
    assert dialogs.seen == ["beforeunload"]

    # Changed and confirmed "leave": the page goes, nothing is saved.
    page.goto(f"{page.base_url}/locations/ENS-NOORD/edit/")
    page.get_by_label("Plaats").fill("Glanerbrug")
    dialogs.leave = True
    page.get_by_role("link", name="Annuleren").click()
    page.wait_for_url("**/locations/ENS-NOORD/")
    assert dialogs.seen == ["beforeunload", "beforeunload"]
    assert LocationFactory._meta.model.objects.get(code="ENS-NOORD").place == "Enschede"

    # Changed and saved: no question.
    dialogs.leave = False
    page.goto(f"{page.base_url}/locations/ENS-NOORD/edit/")
    page.get_by_label("Plaats").fill("Glanerbrug")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/locations/ENS-NOORD/")
    assert dialogs.seen == ["beforeunload", "beforeunload"]
    assert LocationFactory._meta.model.objects.get(code="ENS-NOORD").place == "Glanerbrug"

    # The grid: a typed figure asks before the page is left, a saved one does not.
    page.goto(f"{page.base_url}/counts/")
    assert axe_violations(page) == []
    page.locator('tr[data-location="ENS-NOORD"]').get_by_label("Bezet CNO Noord").fill("50")
    page.get_by_role("link", name="Locaties").click()
    page.wait_for_timeout(300)
    assert dialogs.seen == ["beforeunload"] * 3
    page.get_by_role("button", name="Alles opslaan").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Locaties").click()
    page.wait_for_url("**/locations/")
    assert dialogs.seen == ["beforeunload"] * 3
    assert page.console_errors == []


def test_without_javascript_unchanged_keeps_the_typed_figures_too(
    chromium_browser, live_server, enschede
):
    context = chromium_browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.base_url = live_server.url
    log_in(page)
    noord = page.locator('tr[data-location="ENS-NOORD"]')
    noord.get_by_label("Capaciteit CNO Noord").fill("62")
    page.locator('tr[data-location="ENS-ZUID"]').get_by_role("button", name="Ongewijzigd").click()
    page.wait_for_load_state("load")
    assert "CNO Zuid is bevestigd als ongewijzigd." in page.get_by_role("status").first.inner_text()
    assert noord.get_by_label("Capaciteit CNO Noord").input_value() == "62"
    assert not CapacityReport.objects.filter(location__code="ENS-NOORD", date=TODAY).exists()
    context.close()


def test_the_data_entry_forms_that_warn_pass_axe(page, twente_live):
    UserFactory(username="coordinator", role="coordinator")
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("coordinator")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("networkidle")
    assignment = Assignment.objects.order_by("code").first()
    assert assignment is not None  # the reference data holds the Twente tasks
    paths = [
        "/counts/?municipality=GM0153",
        "/permit-holders/?municipality=GM0153",
        "/locations/new/",
        "/thresholds/",
        "/allocations/new/",
        f"/allocations/{assignment.code}/",
        f"/allocations/{assignment.code}/exchanges/new/",
    ]
    for path in paths:
        page.goto(f"{page.base_url}{path}")
        assert page.locator("form[data-warn-unsaved]").count() == 1, path
        assert axe_violations(page) == [], path
    assert page.console_errors == []
