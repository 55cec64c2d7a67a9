from unittest import mock

from django.db import OperationalError
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import PASSWORD, UserFactory


def test_login_is_locked_after_five_failures(client, twente, settings):
    settings.AXES_ENABLED = True
    UserFactory(username="coordinator", role="coordinator")
    for _ in range(5):
        client.post(reverse("login"), {"username": "coordinator", "password": "fout"})
    # Even the right password is refused now, with a Dutch explanation.
    response = client.post(reverse("login"), {"username": "coordinator", "password": PASSWORD})
    assert response.status_code == 429
    assert "Te veel mislukte inlogpogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(client, twente, settings):
    settings.AXES_ENABLED = True
    UserFactory(username="coordinator", role="coordinator")
    for _ in range(4):
        client.post(reverse("login"), {"username": "coordinator", "password": "fout"})
    response = client.post(reverse("login"), {"username": "coordinator", "password": PASSWORD})
    assert response.status_code == 302


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, db):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_session_cookies_are_httponly_and_samesite(client, twente):
    UserFactory(username="coordinator", role="coordinator")
    response = client.post(reverse("login"), {"username": "coordinator", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    # Ends with the browser: no max-age on the cookie.
    assert not cookie["max-age"]


def test_token_clients_are_rate_limited(api_client, twente, settings):
    settings.API_TOKEN_THROTTLE_RATE = "3/minute"
    token = Token.objects.create(user=UserFactory(role="provincial_reader"))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    statuses = [api_client.get("/api/v1/municipalities").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_browser_sessions_are_not_rate_limited(client, twente, settings):
    settings.API_TOKEN_THROTTLE_RATE = "3/minute"
    client.force_login(UserFactory(role="coordinator"))
    assert {client.get("/api/v1/municipalities").status_code for _ in range(5)} == {200}


def test_a_database_outage_gives_a_clear_page(client, twente):
    client.force_login(UserFactory(role="coordinator"))
    with mock.patch(
        "municipalities.views.municipalities_for_region",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/municipalities/")
    assert response.status_code == 503
    assert "Tijdelijk niet bereikbaar" in response.content.decode()


def test_a_database_outage_gives_json_to_api_clients(api_client, twente):
    api_client.force_authenticate(UserFactory(role="coordinator"))
    with mock.patch(
        "municipalities.api.Municipality.objects.select_related",
        side_effect=OperationalError("connection refused"),
    ):
        response = api_client.get("/api/v1/municipalities")
    assert response.status_code == 503
    assert "niet bereikbaar" in response.json()["detail"]


def test_an_account_without_a_role_gets_a_dutch_403_page(client, twente):
    client.force_login(UserFactory(username="nobody"))
    response = client.get("/")
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
