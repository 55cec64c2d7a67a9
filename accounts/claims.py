"""From the identity provider's claims to this app's roles and membership.

Pure: no database, no settings at import. `ClaimMapping.from_settings()` reads the OIDC_*
mapping settings; `access_from_claims` says which roles, municipality and region the claims
give, or raises `AccessRefused` with a code (the Dutch text lives in accounts/messages.py).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class AccessRefused(Exception):
    """The claims give no usable access; `code` names why (see accounts.messages)."""

    def __init__(self, code: str, /, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class ClaimMapping:
    roles_claim: str
    role_map: Mapping[str, list[str]]  # claim value -> role names
    municipality_claim: str
    municipality_pattern: re.Pattern
    region_claim: str
    region_pattern: re.Pattern
    username_claim: str = "preferred_username"

    @classmethod
    def from_settings(cls) -> "ClaimMapping":
        from django.conf import settings

        return cls(
            roles_claim=settings.OIDC_ROLES_CLAIM,
            role_map=settings.OIDC_ROLE_MAP,
            municipality_claim=settings.OIDC_MUNICIPALITY_CLAIM,
            municipality_pattern=settings.OIDC_MUNICIPALITY_PATTERN,
            region_claim=settings.OIDC_REGION_CLAIM,
            region_pattern=settings.OIDC_REGION_PATTERN,
            username_claim=settings.OIDC_USERNAME_CLAIM,
        )

    def claim_names(self) -> set[str]:
        return {self.roles_claim, self.municipality_claim, self.region_claim}


@dataclass(frozen=True)
class ClaimedAccess:
    roles: frozenset[str]
    municipality_code: str | None
    region_code: str | None


def claim_values(claims: Mapping, path: str) -> list[str]:
    """The values of a claim as strings. `path` may be dotted for nested claims, e.g.
    Keycloak's `realm_access.roles`; a single string counts as one value."""
    value: object = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return []
        value = value[part]
    if value is None:
        return []
    if isinstance(value, str | int):
        return [str(value)]
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return [str(item) for item in value if isinstance(item, str | int)]
    return []


def _codes(values: list[str], pattern: re.Pattern) -> list[str]:
    found = []
    for value in values:
        match = pattern.search(value)
        if match and match.group(1).upper() not in found:
            found.append(match.group(1).upper())
    return found


def access_from_claims(claims: Mapping, mapping: ClaimMapping) -> ClaimedAccess:
    roles = {
        role
        for value in claim_values(claims, mapping.roles_claim)
        for role in mapping.role_map.get(value, ())
    }
    if not roles:
        raise AccessRefused("no_role")
    municipalities = _codes(
        claim_values(claims, mapping.municipality_claim), mapping.municipality_pattern
    )
    if len(municipalities) > 1:
        raise AccessRefused("several_municipalities", codes=municipalities)
    regions = _codes(claim_values(claims, mapping.region_claim), mapping.region_pattern)
    if len(regions) > 1:
        raise AccessRefused("several_regions", codes=regions)
    municipality = municipalities[0] if municipalities else None
    if "project_leader" in roles and municipality is None:
        raise AccessRefused("no_municipality")
    return ClaimedAccess(
        roles=frozenset(roles),
        municipality_code=municipality,
        region_code=regions[0] if regions else None,
    )


def relevant_claims(claims: Mapping, mapping: ClaimMapping) -> dict:
    """The claims the mapping reads plus the person's names, to keep with the identity."""
    keep = {"sub", "iss", "email", "name", mapping.username_claim}
    kept = {name: claims[name] for name in keep if name in claims}
    for path in mapping.claim_names():
        values = claim_values(claims, path)
        if values:
            kept[path] = values
    return kept
