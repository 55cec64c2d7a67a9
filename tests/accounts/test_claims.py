"""The claim mapping on its own: the settings' defaults and the Entra ID and Keycloak shapes
the README describes."""

import re

import pytest

from accounts.claims import AccessRefused, ClaimMapping, access_from_claims, claim_values

DEFAULT = ClaimMapping(
    roles_claim="roles",
    role_map={role: [role] for role in ("coordinator", "project_leader", "secretary")},
    municipality_claim="municipality",
    municipality_pattern=re.compile(r"^(GM\d{4})$"),
    region_claim="safety_region",
    region_pattern=re.compile(r"^(VR\d{2})$"),
)
# Entra ID: app roles in the ID token's `roles`, the municipality as an app role too.
ENTRA = ClaimMapping(
    roles_claim="roles",
    role_map={"Opvang.Coordinator": ["coordinator"], "Opvang.Projectleider": ["project_leader"]},
    municipality_claim="roles",
    municipality_pattern=re.compile(r"^Gemeente\.(GM\d{4})$"),
    region_claim="roles",
    region_pattern=re.compile(r"^Regio\.(VR\d{2})$"),
)
# Keycloak: realm roles nested in realm_access, groups by their full path.
KEYCLOAK = ClaimMapping(
    roles_claim="realm_access.roles",
    role_map={"opvang-coordinator": ["coordinator"], "opvang-projectleider": ["project_leader"]},
    municipality_claim="groups",
    municipality_pattern=re.compile(r"^/gemeenten/(GM\d{4})$"),
    region_claim="groups",
    region_pattern=re.compile(r"^/regio/(VR\d{2})$"),
)


def test_it_maps_the_default_claims():
    access = access_from_claims(
        {"roles": ["project_leader"], "municipality": "GM0153", "safety_region": "VR05"}, DEFAULT
    )
    assert access.roles == {"project_leader"}
    assert (access.municipality_code, access.region_code) == ("GM0153", "VR05")


def test_a_single_string_counts_as_one_value():
    access = access_from_claims({"roles": "coordinator"}, DEFAULT)
    assert access.roles == {"coordinator"}
    assert access.municipality_code is None and access.region_code is None


def test_it_maps_entra_id_app_roles():
    claims = {"roles": ["Opvang.Projectleider", "Gemeente.GM0164", "Regio.VR05", "Other.Role"]}
    access = access_from_claims(claims, ENTRA)
    assert access.roles == {"project_leader"}
    assert (access.municipality_code, access.region_code) == ("GM0164", "VR05")


def test_it_maps_keycloak_realm_roles_and_group_paths():
    claims = {
        "realm_access": {"roles": ["offline_access", "opvang-coordinator"]},
        "groups": ["/gemeenten/GM0153", "/regio/VR05", "/elders"],
    }
    access = access_from_claims(claims, KEYCLOAK)
    assert access.roles == {"coordinator"}
    assert access.municipality_code == "GM0153"


def test_several_roles_are_all_given():
    access = access_from_claims({"roles": ["coordinator", "secretary"]}, DEFAULT)
    assert access.roles == {"coordinator", "secretary"}


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        ({}, "no_role"),
        ({"roles": []}, "no_role"),
        ({"roles": ["medewerker"]}, "no_role"),
        ({"roles": {"nested": "coordinator"}}, "no_role"),
        ({"roles": ["project_leader"]}, "no_municipality"),
        ({"roles": ["project_leader"], "municipality": "Enschede"}, "no_municipality"),
        (
            {"roles": ["project_leader"], "municipality": ["GM0153", "GM0164"]},
            "several_municipalities",
        ),
        ({"roles": ["coordinator"], "safety_region": ["VR04", "VR05"]}, "several_regions"),
    ],
)
def test_claims_without_usable_access_are_refused(claims, code):
    with pytest.raises(AccessRefused) as refused:
        access_from_claims(claims, DEFAULT)
    assert refused.value.code == code


def test_claim_values_follow_dotted_paths_and_ignore_other_shapes():
    claims = {"a": {"b": ["x", 3, None, {"c": 1}]}, "n": None}
    assert claim_values(claims, "a.b") == ["x", "3"]
    assert claim_values(claims, "a.missing") == []
    assert claim_values(claims, "n") == []
