"""A new user's first look at the demo history in a real browser: the dashboard says its
figures are old and links to their day, 7 July 2022 reads as the minutes, and the map names
the municipalities even when its tiles cannot be loaded."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_live(twente_live, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0, stdout=None)
    settings.DEBUG = False


def test_a_new_user_is_led_to_the_days_of_the_figures(page, demo_live, settings):
    # The standard tiles, out of reach as offline: the map falls back to the names.
    settings.MAP_TILE_URL = (
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
    )
    page.route("https://service.pdok.nl/**", lambda route: route.abort())
    UserFactory(username="coordinator", role="coordinator")
    login(page, "coordinator", PASSWORD)

    notice = page.get_by_test_id("stale-notice")
    expect(notice).to_contain_text("De laatste meldingen zijn van 15-01-2024")
    page.get_by_test_id("stale-link").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/?date=2024-01-15")
    expect(page.get_by_test_id("stale-notice")).to_have_count(0)
    expect(page.locator(".dashboard-map__label").filter(has_text="Enschede")).to_have_count(1)
    expect(page.locator(".dashboard-map__label")).to_have_count(14)

    page.goto(f"{page.base_url}/?date=2022-07-07")
    sentence = page.get_by_test_id("regional-sentences").locator('[data-target-group="ukraine"]')
    expect(sentence).to_contain_text("2.475 operationele plekken, 2.189 bezet: 88%")
