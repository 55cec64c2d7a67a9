"""The API docs page (/api/docs/): Swagger UI in the app's frame, accessible, CSP intact."""

import pytest

from tests.browser.axe import axe_violations
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_is_dutch_accessible_and_links_back(page, twente_live):
    UserFactory(username="provincie", role="provincial_reader")
    login(page, "provincie", PASSWORD)
    page.goto(f"{page.base_url}/api/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator(".api-docs-title").inner_text() == "API-documentatie"
    # Open one operation, so that its parameters and answers are checked too.
    page.locator(".opblock-summary").first.click()
    page.locator(".opblock-body").first.wait_for()
    assert axe_violations(page) == []
    screenshot(page, "api-docs")
    # The page keeps the site's Content-Security-Policy, and nothing broke under it.
    assert page.console_errors == []
    page.get_by_role("link", name="Terug naar Opvang Twente").click()
    page.wait_for_url("**/")
    assert page.get_by_test_id("current-role").is_visible()
