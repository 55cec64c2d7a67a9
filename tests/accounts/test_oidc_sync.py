"""Accounts from claims (accounts.services.oidc_account_sync): made at the first login, brought
in line with the claims at every login, stripped when the claims give nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from accounts.claims import AccessRefused
from accounts.models import ExternalIdentity, SignInEvent, SignInKind
from accounts.services import oidc_account_sync
from municipalities.models import Membership
from tests.factories import UserFactory

ISSUER = "https://idp.example.nl"


def sync(subject="sub-1", **claims):
    request = RequestFactory().get("/accounts/oidc/callback/", REMOTE_ADDR="10.1.2.3")
    return oidc_account_sync(request=request, issuer=ISSUER, subject=subject, claims=claims)


def roles(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def test_the_first_login_makes_the_account_with_its_role_and_municipality(places):
    user = sync(
        preferred_username="p.jansen",
        email="p.jansen@enschede.nl",
        given_name="Piet",
        family_name="Jansen",
        roles=["project_leader"],
        municipality="GM0153",
    )
    assert (user.username, user.email, user.get_full_name()) == (
        "p.jansen",
        "p.jansen@enschede.nl",
        "Piet Jansen",
    )
    assert not user.has_usable_password()
    assert not user.is_staff
    assert roles(user) == ["project_leader"]
    assert (user.membership.safety_region.code, user.membership.municipality.code) == (
        "VR05",
        "GM0153",
    )
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (ISSUER, "sub-1")
    assert identity.last_claims["roles"] == ["project_leader"]
    event = SignInEvent.objects.get(kind=SignInKind.ROLES_CHANGED)
    assert event.detail["new_account"] is True
    assert event.detail["after"] == {
        "roles": ["project_leader"],
        "region": "VR05",
        "municipality": "GM0153",
        "staff": False,
    }
    assert event.ip_address == "10.1.2.3"


def test_every_login_applies_the_claims_again(places):
    first = sync(roles=["project_leader"], municipality="GM0153")
    again = sync(roles=["project_leader"], municipality="GM0164")
    assert again.pk == first.pk
    assert Membership.objects.get(user=first).municipality.code == "GM0164"
    third = sync(roles=["coordinator", "secretary"])
    assert roles(third) == ["coordinator", "secretary"]
    assert third.is_staff  # the secretary works in the admin
    assert Membership.objects.get(user=first).municipality is None
    fourth = sync(roles=["coordinator"])
    assert not fourth.is_staff
    changes = SignInEvent.objects.filter(kind=SignInKind.ROLES_CHANGED).count()
    assert changes == 4


def test_a_login_with_unchanged_claims_records_no_change(places):
    sync(roles=["coordinator"])
    sync(roles=["coordinator"])
    assert SignInEvent.objects.filter(kind=SignInKind.ROLES_CHANGED).count() == 1


def test_a_region_from_the_claims_or_else_the_home_region(places, settings):
    assert (
        sync(subject="a", roles=["coordinator"], safety_region="VR04").membership.safety_region
        == places["VR04"]
    )
    settings.HOME_REGION = "VR05"
    assert sync(subject="b", roles=["coordinator"]).membership.safety_region == places["VR05"]


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        ({"roles": ["medewerker"]}, "no_role"),
        ({"roles": ["project_leader"], "municipality": "GM0999"}, "unknown_municipality"),
        ({"roles": ["coordinator"], "safety_region": "VR99"}, "unknown_region"),
        (
            {"roles": ["project_leader"], "municipality": "GM0150", "safety_region": "VR05"},
            "region_mismatch",
        ),
    ],
)
def test_claims_without_usable_access_make_no_account(places, claims, code):
    with pytest.raises(AccessRefused) as refused:
        sync(preferred_username="nieuw", **claims)
    assert refused.value.code == code
    assert not get_user_model().objects.filter(username="nieuw").exists()
    assert not ExternalIdentity.objects.exists()
    event = SignInEvent.objects.get(kind=SignInKind.REFUSED)
    assert (event.username, event.detail["reason"], event.user) == ("nieuw", code, None)


def test_an_account_that_lost_its_role_loses_its_access(places):
    user = sync(roles=["secretary"], municipality="GM0153")
    assert user.is_staff
    with pytest.raises(AccessRefused):
        sync(roles=[])
    user.refresh_from_db()
    assert roles(user) == []
    assert not user.is_staff
    assert not Membership.objects.filter(user=user).exists()
    change = SignInEvent.objects.filter(kind=SignInKind.ROLES_CHANGED).latest("pk")
    assert change.detail["after"]["roles"] == [] and change.detail["before"]["roles"] == [
        "secretary"
    ]
    assert SignInEvent.objects.get(kind=SignInKind.REFUSED).user == user


def test_other_groups_of_the_account_are_left_alone(places):
    from django.contrib.auth.models import Group

    user = sync(roles=["coordinator"])
    user.groups.add(Group.objects.create(name="nieuwsbrief"))
    sync(roles=["project_leader"], municipality="GM0153")
    assert roles(user) == ["nieuwsbrief", "project_leader"]


def test_a_taken_username_never_shares_the_local_account(places):
    local = UserFactory(username="coordinator", role="coordinator")
    user = sync(
        subject="abc",
        preferred_username="coordinator",
        roles=["project_leader"],
        municipality="GM0153",
    )
    assert user.pk != local.pk
    assert (
        user.username.startswith("coordinator-") and len(user.username) == len("coordinator-") + 8
    )
    local.refresh_from_db()
    assert local.has_usable_password()
    assert roles(local) == ["coordinator"]


def test_the_same_subject_at_another_issuer_is_another_person(places):
    request = RequestFactory().get("/")
    first = oidc_account_sync(
        request=request, issuer=ISSUER, subject="s", claims={"roles": ["coordinator"]}
    )
    other = oidc_account_sync(
        request=request,
        issuer="https://other.example.nl",
        subject="s",
        claims={"preferred_username": "s2", "roles": ["coordinator"]},
    )
    assert first.pk != other.pk


def test_the_role_map_of_the_settings_is_used(places, settings):
    settings.OIDC_ROLES_CLAIM = "groups"
    settings.OIDC_ROLE_MAP = {"opvang-coordinatie": ["coordinator"]}
    assert roles(sync(groups=["opvang-coordinatie"])) == ["coordinator"]
    with pytest.raises(AccessRefused):
        sync(subject="x", roles=["coordinator"])
