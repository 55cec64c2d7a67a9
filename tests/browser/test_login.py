import pytest

from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_logs_in_and_sees_the_region(page, twente_live):
    UserFactory(username="coordinator", role="coordinator")
    login(page, "coordinator", PASSWORD)

    assert page.get_by_test_id("current-role").inner_text() == "Coördinator"
    assert "Veiligheidsregio Twente" in page.locator("header").inner_text()
    rows = page.get_by_test_id("municipality-table").locator("tbody tr")
    assert rows.count() == 14
    assert page.get_by_test_id("population-total").inner_text() == "633.917"
    screenshot(page, "login-coordinator-home")
    assert page.console_errors == []


def test_a_wrong_password_shows_a_dutch_error(page, twente_live):
    UserFactory(username="coordinator", role="coordinator")
    login(page, "coordinator", "fout-wachtwoord")
    assert page.get_by_role("alert").inner_text().startswith("Voer een juiste gebruikersnaam")
    screenshot(page, "login-wrong-password")


def test_the_layout_fits_a_tablet(chromium_browser, live_server, twente_live):
    UserFactory(username="projectleider", role="project_leader")
    context = chromium_browser.new_context(viewport={"width": 768, "height": 1024}, locale="nl-NL")
    page = context.new_page()
    page.base_url = live_server.url
    login(page, "projectleider", PASSWORD)
    # Nothing wider than the viewport: the page does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    screenshot(page, "tablet-project-leader-home")
    context.close()
