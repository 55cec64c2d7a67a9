"""The upload page in a real browser: upload, preview, confirm, and the status script that
polls until the recompute has finished (Content-Security-Policy on, so no inline script)."""

import pytest
from django.urls import reverse

from capacity.tasks import recompute_occupancy
from imports.models import ImportStatus
from tests.browser.conftest import screenshot
from tests.capacity.factories import LocationFactory
from tests.factories import PASSWORD, MunicipalityFactory, UserFactory
from tests.imports.factories import ImportRunFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username):  # noqa: F811
    page.goto(f"{page.base_url}{reverse('login')}")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def test_a_coordinator_uploads_previews_and_confirms_a_file(page, tmp_path):  # noqa: F811
    enschede = MunicipalityFactory(code="GM0153", name="Enschede")
    LocationFactory(code="ENS-1", municipality=enschede)
    UserFactory(username="coordinator", role="coordinator")
    path = tmp_path / "meldingen.csv"
    path.write_text("location;date;capacity;occupied\nENS-1;02-01-2023;60;50\n", encoding="utf-8")

    log_in(page, "coordinator")
    page.goto(f"{page.base_url}{reverse('imports:list')}")
    page.get_by_label("Soort bestand").select_option("capacity-reports")
    page.get_by_label("Bestand (CSV of XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Controleren").click()
    page.get_by_test_id("confirm").wait_for()
    assert "1 nieuw, 0 gewijzigd, 0 ongewijzigd" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    screenshot(page, "imports-preview")

    page.get_by_test_id("confirm").click()
    page.get_by_test_id("recompute").wait_for()
    # Without REDIS_URL the recompute ran eagerly when the import committed.
    assert "Herberekening klaar" in page.get_by_test_id("recompute").inner_text()
    screenshot(page, "imports-imported")
    page.goto(f"{page.base_url}{reverse('imports:list')}")
    assert page.get_by_test_id("import-runs").locator("tbody tr").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    screenshot(page, "imports-list")
    assert page.console_errors == []


def test_the_status_script_shows_when_the_recompute_has_finished(page):  # noqa: F811
    enschede = MunicipalityFactory(code="GM0153", name="Enschede")
    coordinator = UserFactory(username="coordinator", role="coordinator")
    run = ImportRunFactory(
        user=coordinator,
        status=ImportStatus.IMPORTED,
        created_count=1,
        recompute_municipality_ids=[enschede.pk],
    )
    log_in(page, "coordinator")
    page.goto(f"{page.base_url}{reverse('imports:detail', args=[run.pk])}")
    box = page.get_by_test_id("recompute")
    assert "op de achtergrond herberekend" in box.inner_text()

    recompute_occupancy([enschede.pk], None, import_run_id=run.pk)  # what the worker does

    page.get_by_text("Herberekening klaar").wait_for(timeout=10_000)
    assert "utrecht-alert--ok" in box.get_attribute("class")
    screenshot(page, "imports-recompute-finished")
    assert page.console_errors == []
