"""The second factor with the enforcement on: who owes it, what stays reachable, setting it up,
using it and a recovery code, and the reset by the application manager."""

import time

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignInEvent, SignInKind
from accounts.selectors import OIDC_BACKEND
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:second-factor-setup")
VERIFY = reverse("accounts:second-factor")


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def log_in(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def set_up(client, user) -> list[str]:
    """Through the set-up page as a person would; returns the recovery codes shown."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"token": code(device)}, follow=True)
    return [li.strip() for li in response.context["codes"]]


@pytest.mark.parametrize("role", ["coordinator", "secretary"])
def test_a_local_login_of_these_roles_leads_to_the_set_up(client, enforced, role):
    UserFactory(username="iemand", role=role)
    response = log_in(client, "iemand")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


@pytest.mark.parametrize(
    "path", ["/", "/locations/", "/municipalities/", "/actions/", "/admin/", "/imports/"]
)
def test_no_page_and_not_the_admin_before_the_second_factor(client, enforced, path):
    UserFactory(username="coord", role="coordinator", is_staff=True)
    log_in(client, "coord")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next={path.replace('/', '%2F')}"


def test_the_api_does_not_count_a_half_finished_login(client, enforced):
    UserFactory(username="coord", role="coordinator")
    log_in(client, "coord")
    assert client.get("/api/v1/locations").status_code == 401
    assert client.get("/api/v1/overview?region=VR05").status_code == 401


def test_logout_and_language_stay_reachable(client, enforced):
    UserFactory(username="coord", role="coordinator")
    log_in(client, "coord")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_project_leaders_need_no_second_factor_unless_every_role_does(client, enforced, settings):
    UserFactory(username="pl", role="project_leader")
    log_in(client, "pl")
    assert client.get("/municipalities/").status_code == 200
    settings.TWO_FACTOR_ALL_ROLES = True
    assert client.get("/municipalities/")["Location"].startswith(SETUP)


def test_the_roles_that_need_it_are_a_setting(client, enforced, settings):
    settings.TWO_FACTOR_ROLES = ["project_leader"]
    UserFactory(username="pl", role="project_leader")
    UserFactory(username="coord", role="coordinator")
    log_in(client, "coord")
    assert client.get("/municipalities/").status_code == 200
    client.logout()
    log_in(client, "pl")
    assert client.get("/municipalities/").status_code == 302


def test_superusers_always_need_it(client, enforced, settings):
    settings.TWO_FACTOR_ROLES = []
    UserFactory(username="beheer", is_superuser=True, is_staff=True)
    log_in(client, "beheer")
    assert client.get("/admin/").status_code == 302


def test_a_provider_login_relies_on_the_providers_second_factor(client, enforced, settings):
    user = UserFactory(username="coord", role="coordinator")
    client.force_login(user, backend=OIDC_BACKEND)
    assert client.session[BACKEND_SESSION_KEY] == OIDC_BACKEND
    assert client.get("/municipalities/").status_code == 200
    settings.OIDC_TRUST_PROVIDER_MFA = False
    assert client.get("/municipalities/")["Location"].startswith(SETUP)


def test_the_bypass_lets_the_suite_and_demo_accounts_through(client, settings):
    settings.TWO_FACTOR_BYPASS = True
    UserFactory(username="coord", role="coordinator")
    log_in(client, "coord")
    assert client.get("/municipalities/").status_code == 200


def test_setting_up_gives_recovery_codes_and_opens_the_site(client, enforced):
    user = UserFactory(username="coord", role="coordinator")
    log_in(client, "coord")
    page = client.get(f"{SETUP}?next=/locations/")
    assert page.status_code == 200
    assert page.context["qr"].startswith("data:image/svg+xml")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "issuer=Opvang%20Twente" in device.config_url
    # Opening the page again keeps the same key (the app may already hold it).
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=user).count() == 1

    response = client.post(SETUP, {"token": code(device), "next": "/locations/"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:recovery-codes"))
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    # Shown once: the next visit shows only how many are left.
    again = client.get(reverse("accounts:recovery-codes"))
    assert again.context["codes"] is None and again.context["left"] == 10
    assert client.get("/locations/").status_code == 200
    assert SignInEvent.objects.filter(user=user, kind=SignInKind.SECOND_FACTOR_SETUP).exists()


def test_a_wrong_code_sets_nothing_up(client, enforced):
    user = UserFactory(username="coord", role="coordinator")
    log_in(client, "coord")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    wrong = "123456" if code(device) != "123456" else "654321"
    response = client.post(SETUP, {"token": wrong})
    assert response.status_code == 200
    assert "klopt niet" in response.context["form"].errors["token"][0]
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    # Throttled as django-otp throttles: the right code right after is refused too.
    response = client.post(SETUP, {"token": code(device)})
    assert "Te veel onjuiste codes" in response.context["form"].errors["token"][0]
    assert client.get("/").status_code == 302
    failed = SignInEvent.objects.filter(user=user, kind=SignInKind.SECOND_FACTOR_FAILED)
    assert [event.detail["reason"] for event in failed.order_by("pk")] == [
        "wrong_code",
        "throttled",
    ]


def test_the_next_login_asks_for_a_code_and_cannot_set_up_a_new_app(client, enforced):
    user = UserFactory(username="coord", role="coordinator")
    log_in(client, "coord")
    set_up(client, user)
    client.logout()

    response = log_in(client, "coord")
    assert response["Location"].startswith(VERIFY)
    # Whoever has only the password cannot swap in their own app.
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    response = client.post(VERIFY, {"token": code(device, steps_ahead=1), "next": "/actions/"})
    assert response["Location"] == "/actions/"
    assert client.get("/actions/").status_code == 200
    assert SignInEvent.objects.filter(user=user, kind=SignInKind.SECOND_FACTOR_PASSED).exists()


def test_a_used_code_is_refused(client, enforced):
    user = UserFactory(username="coord", role="coordinator")
    log_in(client, "coord")
    set_up(client, user)
    client.logout()
    log_in(client, "coord")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    response = client.post(VERIFY, {"token": code(device)})  # the one the set-up used
    assert response.status_code == 200
    assert "klopt niet" in response.context["form"].errors["token"][0]


def test_a_recovery_code_works_once(client, enforced):
    user = UserFactory(username="coord", role="coordinator")
    log_in(client, "coord")
    codes = set_up(client, user)
    client.logout()

    log_in(client, "coord")
    response = client.post(VERIFY, {"token": codes[0].upper()}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "nog 9" in str(list(response.context["messages"])[0])
    assert StaticToken.objects.filter(device__user=user).count() == 9
    event = SignInEvent.objects.get(kind=SignInKind.RECOVERY_CODE_USED)
    assert event.detail == {"recovery_codes_left": 9}
    client.logout()

    log_in(client, "coord")
    response = client.post(VERIFY, {"token": codes[0]})
    assert response.status_code == 200 and "klopt niet" in str(response.context["form"].errors)


def test_new_recovery_codes_replace_the_old_ones(client, enforced):
    user = UserFactory(username="coord", role="coordinator")
    log_in(client, "coord")
    old = set_up(client, user)
    response = client.post(reverse("accounts:recovery-codes"))
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert SignInEvent.objects.filter(kind=SignInKind.RECOVERY_CODES_RENEWED).count() == 1


def test_recovery_codes_are_not_renewed_without_the_second_factor(client, enforced):
    user = UserFactory(username="coord", role="coordinator")
    log_in(client, "coord")
    set_up(client, user)
    client.logout()
    log_in(client, "coord")
    response = client.post(reverse("accounts:recovery-codes"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_the_application_manager_resets_a_lost_phone(client, enforced):
    user = UserFactory(username="coord", role="coordinator")
    log_in(client, "coord")
    set_up(client, user)
    client.logout()

    manager = UserFactory(username="beheer", is_superuser=True, is_staff=True)
    client.force_login(manager)
    manager_device = TOTPDevice.objects.create(user=manager, name="app", confirmed=True)
    session = client.session
    session["otp_device_id"] = manager_device.persistent_id
    session.save()
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [user.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "gewist voor: coord" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    reset = SignInEvent.objects.get(kind=SignInKind.SECOND_FACTOR_RESET)
    assert (reset.user, reset.actor) == (user, manager)

    client.logout()
    assert log_in(client, "coord")["Location"].startswith(SETUP)


def test_the_user_list_shows_who_has_a_second_factor_in_constant_queries(
    client, enforced, django_assert_max_num_queries
):
    manager = UserFactory(username="beheer", is_superuser=True, is_staff=True)
    device = TOTPDevice.objects.create(user=manager, name="app", confirmed=True)
    client.force_login(manager)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    for n in range(3):
        UserFactory(username=f"u{n}", role="coordinator")
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    for n in range(3, 20):
        UserFactory(username=f"u{n}", role="coordinator")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("admin:auth_user_changelist"))
    shown = {user.username: user.second_factor for user in response.context["cl"].result_list}
    assert shown["beheer"] is True and shown["u7"] is False
