"""The sign-in audit: who, when, how and from where; readable (and only readable) by the
application manager in the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import SignInEvent, SignInKind, SignInMethod
from accounts.services import sign_in_record
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

AUDIT = reverse("admin:accounts_signinevent_changelist")


def test_a_local_login_its_failure_and_the_logout_are_recorded(client):
    user = UserFactory(username="coord", role="coordinator")
    client.post(
        reverse("login"),
        {"username": "coord", "password": "fout"},
        REMOTE_ADDR="192.0.2.7",
        HTTP_USER_AGENT="Firefox",
    )
    client.post(
        reverse("login"), {"username": "coord", "password": PASSWORD}, REMOTE_ADDR="192.0.2.7"
    )
    client.post(reverse("logout"), REMOTE_ADDR="192.0.2.8")
    events = list(SignInEvent.objects.order_by("pk"))
    assert [(e.kind, e.method, e.username, e.ip_address) for e in events] == [
        (SignInKind.LOGIN_FAILED, SignInMethod.LOCAL, "coord", "192.0.2.7"),
        (SignInKind.LOGIN, SignInMethod.LOCAL, "coord", "192.0.2.7"),
        (SignInKind.LOGOUT, SignInMethod.LOCAL, "coord", "192.0.2.8"),
    ]
    assert events[0].user is None and events[0].user_agent == "Firefox"
    assert events[1].user == user


def test_a_failure_for_an_unknown_name_keeps_the_name_typed(client):
    client.post(reverse("login"), {"username": "onbekend", "password": "x"})
    event = SignInEvent.objects.get()
    assert (event.kind, event.username, event.user) == (SignInKind.LOGIN_FAILED, "onbekend", None)


def manager_client(client):
    manager = UserFactory(username="beheer", is_superuser=True, is_staff=True)
    client.force_login(manager)
    return manager


def test_the_application_manager_reads_the_audit_in_constant_queries(
    client, django_assert_max_num_queries
):
    manager = manager_client(client)
    for n in range(3):
        sign_in_record(kind=SignInKind.LOGIN, user=UserFactory(username=f"u{n}"), actor=manager)
    with django_assert_max_num_queries(15) as few:
        response = client.get(AUDIT)
    assert response.status_code == 200
    for n in range(3, 30):
        sign_in_record(kind=SignInKind.LOGIN, user=UserFactory(username=f"u{n}"), actor=manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(AUDIT)
    assert "u29" in response.content.decode()
    response = client.get(AUDIT, {"kind__exact": "login", "q": "u2"})
    assert response.status_code == 200


def test_the_audit_cannot_be_changed_by_hand(client):
    manager_client(client)
    event = sign_in_record(kind=SignInKind.LOGIN_FAILED, username="x")
    assert client.get(reverse("admin:accounts_signinevent_add")).status_code == 403
    page = client.get(reverse("admin:accounts_signinevent_change", args=[event.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert (
        client.post(
            reverse("admin:accounts_signinevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert SignInEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("role", ["secretary", "coordinator"])
def test_other_roles_do_not_see_the_audit(client, role):
    user = UserFactory(username="iemand", role=role, is_staff=role == "secretary")
    client.force_login(user)
    response = client.get(AUDIT)
    assert response.status_code in (302, 403)


def test_a_staff_account_with_the_view_permission_reads_it(client):
    user = UserFactory(username="fb", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_signinevent"))
    client.force_login(user)
    assert client.get(AUDIT).status_code == 200
