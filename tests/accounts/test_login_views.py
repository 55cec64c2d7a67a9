"""The login page with and without OpenID Connect, the admin's login, logging out (with the
provider's end_session_endpoint), and the provider views while switched off or unreachable."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.urls import reverse

from accounts.models import SignInEvent, SignInKind, SignInMethod
from accounts.selectors import OIDC_BACKEND
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ORGANISATION = "Inloggen met uw organisatie-account"


def test_without_oidc_the_login_page_is_the_local_form_only(client):
    page = client.get(reverse("login")).content.decode()
    assert ORGANISATION not in page
    assert 'name="password"' in page
    assert client.get(reverse("accounts:oidc-authenticate")).status_code == 404
    assert client.get(reverse("accounts:oidc-callback")).status_code == 404


def test_with_oidc_the_organisations_account_comes_first(client, oidc_on):
    page = client.get(reverse("login") + "?next=/locations/").content.decode()
    assert page.index(ORGANISATION) < page.index('name="password"')
    assert f"{reverse('accounts:oidc-authenticate')}?next=%2Flocations%2F" in page


def test_local_login_can_be_switched_off(client, oidc_on, settings):
    settings.LOCAL_LOGIN = False
    UserFactory(username="coord", role="coordinator")
    page = client.get(reverse("login")).content.decode()
    assert ORGANISATION in page and 'name="password"' not in page
    response = client.post(reverse("login"), {"username": "coord", "password": PASSWORD})
    assert response.status_code == 403
    # No other way in with a password either (the backend refuses).
    assert not client.login(username="coord", password=PASSWORD)
    assert "_auth_user_id" not in client.session


def test_the_admin_signs_in_on_the_sites_login_page(client):
    response = client.get(reverse("admin:login") + "?next=/admin/meetings/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=%2Fadmin%2Fmeetings%2F"


def test_the_login_redirects_to_pkce_authorization_at_the_provider(client, oidc_on):
    response = client.get(reverse("accounts:oidc-authenticate") + "?next=/locations/")
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://idp.example.nl/authorize"
    query = parse_qs(url.query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["opvang-twente"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["redirect_uri"] == ["http://testserver/accounts/oidc/callback/"]
    state = query["state"][0]
    assert client.session["oidc_states"][state]["code_verifier"]
    assert client.session["oidc_login_next"] == "/locations/"


def test_an_unreachable_provider_gets_a_dutch_page(client, oidc_on, settings):
    settings.OIDC_OP_DISCOVERY_URL = "http://127.0.0.1:9/"  # nothing listens there
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    response = client.get(reverse("accounts:oidc-authenticate"))
    assert response.status_code == 503
    assert "lukt nu niet" in response.content.decode()


def test_a_failed_callback_goes_back_to_the_login_page_and_is_recorded(client, oidc_on):
    response = client.get(
        reverse("accounts:oidc-callback"),
        {"error": "access_denied", "error_description": "User cancelled", "state": "x"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "niet gelukt" in response.content.decode()
    event = SignInEvent.objects.get()
    assert (event.kind, event.method, event.detail["reason"]) == (
        SignInKind.LOGIN_FAILED,
        SignInMethod.OIDC,
        "access_denied",
    )


def test_a_callback_whose_token_request_fails_is_a_failure_not_an_error(client, oidc_on, settings):
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"
    session = client.session
    session["oidc_states"] = {"s1": {"nonce": "n", "code_verifier": "v" * 64, "added_on": 0}}
    session.save()
    response = client.get(reverse("accounts:oidc-callback"), {"code": "c", "state": "s1"})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert SignInEvent.objects.get().detail["reason"] == "ConnectionError"


def test_logout_of_a_provider_account_ends_the_providers_session(client, oidc_on):
    user = UserFactory(username="carla", role="coordinator")
    client.force_login(user, backend=OIDC_BACKEND)
    session = client.session
    session["oidc_id_token"] = "the.id.token"
    session.save()
    response = client.post(reverse("logout"))
    assert response.status_code == 200
    url = response.context["end_session_url"]
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://idp.example.nl/logout"
    assert parse_qs(parts.query) == {
        "client_id": ["opvang-twente"],
        "post_logout_redirect_uri": ["http://testserver/accounts/login/"],
        "id_token_hint": ["the.id.token"],
    }
    assert f'content="0;url={url.replace("&", "&amp;")}"' in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = SignInEvent.objects.filter(kind=SignInKind.LOGOUT).get()
    assert event.method == SignInMethod.OIDC


def test_logout_without_end_session_endpoint_or_of_a_local_account_stays_here(
    client, oidc_on, settings
):
    user = UserFactory(username="coord", role="coordinator")
    client.force_login(user)
    assert client.session[BACKEND_SESSION_KEY] != OIDC_BACKEND
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")

    settings.OIDC_OP_LOGOUT_ENDPOINT = ""
    client.force_login(user, backend=OIDC_BACKEND)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_the_no_role_page_says_why_and_whom_to_ask(client, settings):
    settings.ACCESS_CONTACT = "het functioneel beheer (opvang@vrtwente.nl)"
    session = client.session
    session["oidc_refusal"] = {"code": "unknown_municipality", "params": {"code": "GM0999"}}
    session.save()
    response = client.get(reverse("accounts:no-role"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "De gemeente GM0999 uit uw organisatie-account is hier onbekend." in page
    assert "opvang@vrtwente.nl" in page
    assert "Afmelden bij uw organisatie-account" not in page
