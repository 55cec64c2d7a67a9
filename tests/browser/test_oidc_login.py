"""Logging in through a real OpenID provider (tests/oidc/provider.mjs, node-oidc-provider) in
Chromium: the claims give the role and membership at every login, an unmapped account is
refused, and logging out ends the provider's session too."""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import SignInEvent, SignInKind, SignInMethod
from municipalities.models import Membership
from tests.browser.axe import axe_violations
from tests.browser.conftest import screenshot
from tests.oidc.provider import start_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORGANISATION_LOGIN = "Inloggen met uw organisatie-account"


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    started = start_provider(app_url=live_server.url, directory=tmp_path_factory.mktemp("oidc"))
    yield started
    started.stop()


@pytest.fixture
def oidc(provider, settings, twente_live):
    provider.configure(settings)
    # Enforced as in production: these accounts pass on the provider's second factor.
    settings.TWO_FACTOR_BYPASS = False
    return provider


def sign_in_at_provider(page, login: str) -> None:
    """From the app's login page through the provider's login form and back."""
    page.goto(f"{page.base_url}/")
    page.get_by_role("link", name=ORGANISATION_LOGIN).click()
    # The provider's own form: a fresh login there, not a session left over.
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("wachtwoord-bij-de-provider")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_load_state("networkidle")


def log_out(page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{page.base_url}/accounts/login/")


def badge(page) -> str:
    return page.get_by_test_id("current-role").inner_text()


def test_a_coordinator_lands_on_the_regions_dashboard(page, oidc):
    oidc.set_accounts(
        {
            "carla": {
                "email": "carla@vrtwente.nl",
                "given_name": "Carla",
                "family_name": "de Vries",
                "roles": ["coordinator"],
                "safety_region": "VR05",
            }
        }
    )
    page.goto(f"{page.base_url}/accounts/login/")
    assert axe_violations(page) == []
    screenshot(page, "login-with-organisation-account")
    sign_in_at_provider(page, "carla")

    assert page.url == f"{page.base_url}/"
    assert badge(page) == "Coördinator"
    assert page.get_by_test_id("current-user").inner_text() == "Carla de Vries"
    assert "Veiligheidsregio Twente" in page.locator("header").inner_text()
    assert page.get_by_test_id("municipality-table").locator("tbody tr").count() == 14
    screenshot(page, "oidc-coordinator-dashboard")
    # The provider's development pages ask for a web font (no network here); the app's pages
    # must have no errors at all.
    app_errors = [
        error
        for error in page.console_errors
        if oidc.issuer not in error and "fonts.googleapis.com" not in error
    ]
    assert app_errors == []

    user = get_user_model().objects.get(username="carla")
    assert not user.has_usable_password()
    assert user.membership.safety_region.code == "VR05"
    assert user.membership.municipality is None
    events = SignInEvent.objects.filter(user=user).order_by("pk")
    assert [(e.kind, e.method) for e in events] == [
        (SignInKind.ROLES_CHANGED, SignInMethod.OIDC),
        (SignInKind.LOGIN, SignInMethod.OIDC),
    ]
    assert events[0].detail["after"]["roles"] == ["coordinator"]
    assert events[1].ip_address == "127.0.0.1"


def test_a_project_leader_gets_their_own_municipality(page, oidc):
    oidc.set_accounts({"pieter": {"roles": ["project_leader"], "municipality": "GM0153"}})
    sign_in_at_provider(page, "pieter")

    assert page.url == f"{page.base_url}/"
    assert badge(page) == "Projectleider · Enschede"
    membership = Membership.objects.get(user__username="pieter")
    assert (membership.safety_region.code, membership.municipality.code) == ("VR05", "GM0153")
    screenshot(page, "oidc-project-leader-dashboard")


def test_the_next_login_applies_changed_claims_and_logout_ends_the_providers_session(page, oidc):
    oidc.set_accounts(
        {"pieter": {"email": "p@twente.nl", "roles": ["project_leader"], "municipality": "GM0153"}}
    )
    sign_in_at_provider(page, "pieter")
    assert badge(page) == "Projectleider · Enschede"
    log_out(page)

    # Moved to Hengelo at the provider. The login form shows again: the provider's session
    # ended with the app's.
    oidc.set_accounts(
        {"pieter": {"email": "p@twente.nl", "roles": ["project_leader"], "municipality": "GM0164"}}
    )
    sign_in_at_provider(page, "pieter")
    assert badge(page) == "Projectleider · Hengelo"
    log_out(page)

    # Now a coordinator of the region, no longer a project leader.
    oidc.set_accounts({"pieter": {"email": "p@twente.nl", "roles": ["coordinator"]}})
    sign_in_at_provider(page, "pieter")
    assert badge(page) == "Coördinator"
    user = get_user_model().objects.get(username="pieter")
    assert sorted(user.groups.values_list("name", flat=True)) == ["coordinator"]
    assert user.membership.municipality is None

    changes = SignInEvent.objects.filter(user=user, kind=SignInKind.ROLES_CHANGED).order_by("pk")
    moves = [(change.detail["before"], change.detail["after"]) for change in changes]
    moves = [(before["municipality"], after["municipality"]) for before, after in moves]
    assert moves == [
        (None, "GM0153"),
        ("GM0153", "GM0164"),
        ("GM0164", None),
    ]
    assert changes[2].detail["after"]["roles"] == ["coordinator"]
    assert (
        SignInEvent.objects.filter(
            user=user, kind=SignInKind.LOGOUT, method=SignInMethod.OIDC
        ).count()
        == 2
    )


def test_an_account_whose_claims_give_no_role_is_refused(page, oidc):
    oidc.set_accounts({"bezoeker": {"email": "b@example.nl", "roles": ["medewerker"]}})
    sign_in_at_provider(page, "bezoeker")

    assert page.url == f"{page.base_url}/accounts/geen-rol/"
    assert page.get_by_role("heading", level=1).inner_text() == "Uw account heeft nog geen rol"
    assert "geen rol in deze applicatie" in page.get_by_test_id("refusal-reason").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "oidc-no-role")
    assert not get_user_model().objects.filter(username="bezoeker").exists()
    refusal = SignInEvent.objects.get(kind=SignInKind.REFUSED)
    assert (refusal.username, refusal.detail["reason"]) == ("bezoeker", "no_role")
    # Nothing reachable: the app still sends this browser to the login page.
    page.goto(f"{page.base_url}/locations/")
    assert page.url.startswith(f"{page.base_url}/accounts/login/")


def test_an_account_that_lost_its_role_loses_its_access(page, oidc):
    oidc.set_accounts({"pieter": {"roles": ["project_leader"], "municipality": "GM0153"}})
    sign_in_at_provider(page, "pieter")
    assert badge(page) == "Projectleider · Enschede"
    log_out(page)

    oidc.set_accounts({"pieter": {"roles": []}})
    sign_in_at_provider(page, "pieter")
    assert page.url == f"{page.base_url}/accounts/geen-rol/"
    user = get_user_model().objects.get(username="pieter")
    assert not user.groups.exists()
    assert not Membership.objects.filter(user=user).exists()

    # Signing out at the provider from the refusal page lets another person sign in.
    page.get_by_role("button", name="Afmelden bij uw organisatie-account").click()
    page.wait_for_url(f"{page.base_url}/accounts/login/")
    page.get_by_role("link", name=ORGANISATION_LOGIN).click()
    assert page.locator("input[name=login]").is_visible()


def test_the_signing_out_page_is_accessible(page, oidc):
    oidc.set_accounts({"carla": {"roles": ["coordinator"]}})
    sign_in_at_provider(page, "carla")
    # Hold the browser on the app's page: the provider answers "204 No Content", after which a
    # browser stays where it is.
    page.route(f"{oidc.issuer}/**", lambda route: route.fulfill(status=204))
    page.get_by_role("button", name="Uitloggen").click()
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert heading.inner_text() == "U bent uitgelogd"
    link = page.get_by_role("link", name="Gebeurt er niets? Afmelden bij uw organisatie-account")
    assert link.get_attribute("href").startswith(f"{oidc.issuer}/")
    assert axe_violations(page) == []


def test_an_unreachable_provider_gets_an_accessible_dutch_page(page, settings, twente_live):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "opvang-twente"
    settings.OIDC_RP_CLIENT_SECRET = "test-secret"
    settings.OIDC_OP_DISCOVERY_URL = "http://127.0.0.1:9/"  # nothing listens there
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_role("link", name=ORGANISATION_LOGIN).click()
    page.wait_for_load_state()
    assert "lukt nu niet" in page.get_by_role("heading", level=1).inner_text()
    assert axe_violations(page) == []
