"""A local coordinator or administrator reaches no page and not the admin before setting up and
giving the second factor (TOTP codes computed here with django-otp's own functions)."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from accounts.models import SignInEvent, SignInKind
from tests.browser.axe import axe_violations
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SETUP = "/accounts/tweestapsverificatie/instellen/"
VERIFY = "/accounts/tweestapsverificatie/"


@pytest.fixture(autouse=True)
def _enforced(settings):
    settings.TWO_FACTOR_BYPASS = False


def code(key: bytes, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or `steps_ahead` periods of 30 s later)."""
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def code_and_step(key: bytes) -> tuple[str, int]:
    totp = TOTP(key)
    return f"{totp.token():06d}", totp.t()


def next_unused_code(key: bytes, used_step: int) -> str:
    """A code the server still takes after the one of `used_step`: django-otp refuses a code
    of a period already used and accepts one period ahead, so the period that follows the
    used one while it is still current, and the current one once a 30 s boundary has passed."""
    totp = TOTP(key)
    if totp.t() <= used_step:
        totp.time = time.time() + 30
    return f"{totp.token():06d}"


def path_of(page) -> str:
    page.wait_for_load_state()
    return page.url.removeprefix(page.base_url).split("?")[0]


def log_out(page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{page.base_url}/accounts/login/")


def test_a_local_coordinator_sets_up_and_uses_the_second_factor(page, twente_live):
    UserFactory(username="coordinator", role="coordinator")
    login(page, "coordinator", PASSWORD)
    assert path_of(page) == SETUP
    # Every page, the admin too, leads back to the set-up; the API sees no login.
    for path in ["/", "/locations/", "/matching/", "/actions/", "/admin/"]:
        page.goto(f"{page.base_url}{path}")
        assert path_of(page) == SETUP, path
    response = page.goto(f"{page.base_url}/api/v1/locations")
    assert response.status == 401
    page.goto(f"{page.base_url}{SETUP}")
    assert page.get_by_role("navigation", name="Hoofdmenu").count() == 0
    assert axe_violations(page) == []
    screenshot(page, "second-factor-setup")

    key = b32decode(page.get_by_test_id("totp-secret").inner_text().replace(" ", ""))
    page.get_by_label("Code uit de app").fill("000000" if code(key) != "000000" else "111111")
    page.get_by_role("button", name="Instellen").click()
    assert "klopt niet" in page.get_by_role("alert").inner_text()
    assert axe_violations(page) == []
    time.sleep(1.1)  # django-otp's throttle: a second try only after a second

    setup_code, used_step = code_and_step(key)
    page.get_by_label("Code uit de app").fill(setup_code)
    page.get_by_role("button", name="Instellen").click()
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    assert axe_violations(page) == []
    screenshot(page, "second-factor-recovery-codes")
    page.get_by_role("link", name="Doorgaan").click()
    assert path_of(page) == "/"
    assert page.get_by_test_id("current-role").inner_text() == "Coördinator"
    log_out(page)

    # The next login asks for a code (the app's next one: the first is used up).
    login(page, "coordinator", PASSWORD)
    assert path_of(page) == VERIFY
    assert axe_violations(page) == []
    screenshot(page, "second-factor-verify")
    page.get_by_label("Code uit de app").fill(next_unused_code(key, used_step))
    page.get_by_role("button", name="Doorgaan").click()
    assert path_of(page) == "/"
    log_out(page)

    # No phone at hand: a recovery code, once.
    login(page, "coordinator", PASSWORD)
    page.get_by_label("Code uit de app").fill(codes[0])
    page.get_by_role("button", name="Doorgaan").click()
    assert path_of(page) == "/"
    assert "nog 9" in page.get_by_role("status").first.inner_text()
    log_out(page)
    login(page, "coordinator", PASSWORD)
    page.get_by_label("Code uit de app").fill(codes[0])
    page.get_by_role("button", name="Doorgaan").click()
    assert path_of(page) == VERIFY

    kinds = list(SignInEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds.count(SignInKind.SECOND_FACTOR_SETUP) == 1
    assert kinds.count(SignInKind.SECOND_FACTOR_PASSED) == 1
    assert kinds.count(SignInKind.RECOVERY_CODE_USED) == 1
    assert kinds.count(SignInKind.SECOND_FACTOR_FAILED) == 2


def test_the_admin_needs_the_second_factor_too(page, twente_live):
    UserFactory(username="beheer", is_staff=True, is_superuser=True)
    page.goto(f"{page.base_url}/admin/")
    # The admin signs in on the site's own login page.
    assert path_of(page) == "/accounts/login/"
    page.get_by_label("Gebruikersnaam").fill("beheer")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    assert path_of(page) == SETUP
    page.goto(f"{page.base_url}/admin/accounts/signinevent/")
    assert path_of(page) == SETUP

    key = b32decode(page.get_by_test_id("totp-secret").inner_text().replace(" ", ""))
    page.get_by_label("Code uit de app").fill(code(key))
    page.get_by_role("button", name="Instellen").click()
    page.get_by_role("link", name="Doorgaan").click()
    # On to the page asked for last.
    assert path_of(page) == "/admin/accounts/signinevent/"
    page.locator("#result_list").wait_for()
    screenshot(page, "admin-sign-in-audit")
    assert "Tweestapsverificatie ingesteld" in page.locator("#result_list").inner_text()
