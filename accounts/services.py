"""Writes for signing in: the audit, accounts made from the provider's claims, the second
factor (TOTP with recovery codes, django-otp)."""

import hashlib
import ipaddress
import logging
from dataclasses import dataclass

import django_otp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from municipalities.models import Membership, Municipality, Role, SafetyRegion
from municipalities.services import groups_ensure

from .claims import AccessRefused, ClaimMapping, access_from_claims, relevant_claims
from .models import ExternalIdentity, SignInEvent, SignInKind, SignInMethod

logger = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10


# The audit -----------------------------------------------------------------------------------


def client_ip(request) -> str | None:
    """The client's address as django-axes sees it (so the audit and the lockout agree)."""
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    address = get_client_ip_address(request)
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def sign_in_record(
    *,
    kind: str,
    method: str = SignInMethod.LOCAL,
    request=None,
    user=None,
    username: str = "",
    actor=None,
    detail: dict | None = None,
) -> SignInEvent:
    meta = getattr(request, "META", {}) if request is not None else {}
    return SignInEvent.objects.create(
        kind=kind,
        method=method,
        user=user if user is not None and user.pk else None,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        actor=actor,
        ip_address=client_ip(request),
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
        detail=detail or {},
    )


# Accounts from claims ------------------------------------------------------------------------


def _scope_of(user) -> dict:
    """Roles, region and municipality as the audit shows them."""
    membership = Membership.objects.filter(user=user).select_related(
        "safety_region", "municipality"
    )
    membership = membership.first()
    return {
        "roles": sorted(user.groups.filter(name__in=Role.values).values_list("name", flat=True)),
        "region": membership.safety_region.code if membership else None,
        "municipality": membership.municipality.code
        if membership and membership.municipality
        else None,
        "staff": user.is_staff,
    }


def _forget_cached_scope(user) -> None:
    for name in ("_role_names", "_membership"):
        if hasattr(user, name):
            delattr(user, name)


def _place_of(access) -> tuple[SafetyRegion, Municipality | None]:
    municipality = None
    if access.municipality_code:
        municipality = (
            Municipality.objects.select_related("safety_region")
            .filter(code=access.municipality_code)
            .first()
        )
        if municipality is None:
            raise AccessRefused("unknown_municipality", code=access.municipality_code)
    region_code = access.region_code
    if region_code is None:
        if municipality is not None:
            return municipality.safety_region, municipality
        region_code = settings.HOME_REGION
    region = SafetyRegion.objects.filter(code=region_code).first()
    if region is None:
        raise AccessRefused("unknown_region", code=region_code)
    if municipality is not None and municipality.safety_region_id != region.pk:
        raise AccessRefused("region_mismatch", municipality=municipality.name, region=region.name)
    return region, municipality


def _access_set(user, *, roles: frozenset[str], region, municipality) -> None:
    groups_ensure()
    role_groups = Group.objects.filter(name__in=Role.values)
    user.groups.remove(*[group for group in role_groups if group.name not in roles])
    user.groups.add(*[group for group in role_groups if group.name in roles])
    Membership.objects.update_or_create(
        user=user, defaults={"safety_region": region, "municipality": municipality}
    )
    # The admin is for secretaries (and superusers, who are never made from claims).
    user.is_staff = Role.SECRETARY in roles or user.is_superuser
    user.save(update_fields=["is_staff"])
    _forget_cached_scope(user)


def _access_remove(user) -> None:
    user.groups.remove(*Group.objects.filter(name__in=Role.values))
    Membership.objects.filter(user=user).delete()
    if not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    _forget_cached_scope(user)


def _username_for(claims: dict, mapping: ClaimMapping, subject: str) -> str:
    User = get_user_model()
    base = str(claims.get(mapping.username_claim) or claims.get("email") or subject)[:150]
    if not User.objects.filter(username=base).exists():
        return base
    # Taken by another account (a local one, or another person at the provider): make it
    # unique with the subject rather than ever sharing an account.
    suffix = hashlib.sha256(subject.encode()).hexdigest()[:8]
    return f"{base[:141]}-{suffix}"


def _profile_update(user, claims: dict) -> None:
    user.email = str(claims.get("email") or user.email)[:254]
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("family_name") or user.last_name)[:150]
    if not claims.get("given_name") and not claims.get("family_name") and claims.get("name"):
        user.first_name = str(claims["name"])[:150]
    user.save(update_fields=["email", "first_name", "last_name"])


@dataclass
class _Outcome:
    user: object = None
    refusal: AccessRefused | None = None


def oidc_account_sync(*, request, issuer: str, subject: str, claims: dict):
    """The account for a provider identity, with exactly the roles and membership its claims
    give now: made at the first login, updated at every one after. Claims that give no usable
    access take an existing account's roles and membership away and raise AccessRefused."""
    mapping = ClaimMapping.from_settings()
    outcome = _Outcome()
    with transaction.atomic():
        identity = (
            ExternalIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        user = identity.user if identity else None
        seen = relevant_claims(claims, mapping)
        claimed_name = str(claims.get(mapping.username_claim) or claims.get("email") or subject)
        try:
            access = access_from_claims(claims, mapping)
            region, municipality = _place_of(access)
        except AccessRefused as refusal:
            outcome.refusal = refusal
            if user is not None:
                before = _scope_of(user)
                _access_remove(user)
                after = _scope_of(user)
                identity.last_claims = seen
                identity.save(update_fields=["last_claims"])
                if before != after:
                    sign_in_record(
                        kind=SignInKind.ROLES_CHANGED,
                        method=SignInMethod.OIDC,
                        request=request,
                        user=user,
                        detail={"before": before, "after": after},
                    )
            sign_in_record(
                kind=SignInKind.REFUSED,
                method=SignInMethod.OIDC,
                request=request,
                user=user,
                username=user.get_username() if user else claimed_name,
                detail={"reason": refusal.code, **refusal.params, "claims": seen},
            )
        else:
            created = user is None
            if created:
                user = get_user_model().objects.create_user(
                    username=_username_for(claims, mapping, subject), password=None
                )
                identity = ExternalIdentity.objects.create(
                    user=user, issuer=issuer, subject=subject
                )
                before = {"roles": [], "region": None, "municipality": None, "staff": False}
            else:
                before = _scope_of(user)
            _profile_update(user, claims)
            _access_set(user, roles=access.roles, region=region, municipality=municipality)
            after = _scope_of(user)
            identity.last_login_at = timezone.now()
            identity.last_claims = seen
            identity.save(update_fields=["last_login_at", "last_claims"])
            if before != after:
                sign_in_record(
                    kind=SignInKind.ROLES_CHANGED,
                    method=SignInMethod.OIDC,
                    request=request,
                    user=user,
                    detail={"before": before, "after": after, "new_account": created},
                )
            outcome.user = user
    if outcome.refusal is not None:
        raise outcome.refusal
    return outcome.user


# The second factor ---------------------------------------------------------------------------


class SecondFactorError(Exception):
    """A code that is not accepted; `code` names why (accounts.views shows the Dutch text)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _clean(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


def totp_device_pending(*, user) -> TOTPDevice:
    """The authenticator app being set up: one unconfirmed device per account."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)
    return device


def _recovery_codes_make(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Herstelcodes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _verified_device(queryset, token: str):
    """The device of `queryset` that accepts `token`, throttled as django-otp throttles."""
    refused = None
    with transaction.atomic():
        for device in queryset.select_for_update():
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                refused = "throttled"
                continue
            if device.verify_token(token):
                return device
    raise SecondFactorError(refused or "wrong_code")


def second_factor_setup_confirm(*, request, token: str) -> list[str]:
    """Confirm the authenticator app with its first code; returns the new recovery codes
    (shown once). The session counts as verified from here."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise SecondFactorError("already_set_up")
    pending = TOTPDevice.objects.filter(user=user, confirmed=False)
    try:
        device = _verified_device(pending, _clean(token))
    except SecondFactorError as error:
        sign_in_record(
            kind=SignInKind.SECOND_FACTOR_FAILED,
            request=request,
            user=user,
            detail={"step": "setup", "reason": error.code},
        )
        raise
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _recovery_codes_make(user)
        sign_in_record(kind=SignInKind.SECOND_FACTOR_SETUP, request=request, user=user)
    django_otp.login(request, device)
    return codes


def second_factor_verify(*, request, token: str):
    """Check a code from the authenticator app or a recovery code (used up once accepted) and
    mark the session verified."""
    user = request.user
    token = _clean(token)
    if token.isdigit():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    try:
        device = _verified_device(devices, token)
    except SecondFactorError as error:
        sign_in_record(
            kind=SignInKind.SECOND_FACTOR_FAILED,
            request=request,
            user=user,
            detail={"reason": error.code},
        )
        raise
    if isinstance(device, StaticDevice):
        sign_in_record(
            kind=SignInKind.RECOVERY_CODE_USED,
            request=request,
            user=user,
            detail={"recovery_codes_left": device.token_set.count()},
        )
    else:
        sign_in_record(kind=SignInKind.SECOND_FACTOR_PASSED, request=request, user=user)
    django_otp.login(request, device)
    return device


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def recovery_codes_renew(*, request) -> list[str]:
    codes = _recovery_codes_make(request.user)
    sign_in_record(kind=SignInKind.RECOVERY_CODES_RENEWED, request=request, user=request.user)
    return codes


@transaction.atomic
def second_factor_reset(*, user, actor, request=None) -> bool:
    """Forget an account's authenticator app and recovery codes (a lost phone): it sets up a
    new one at its next login. Returns whether there was anything to forget."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    removed_static, _ = StaticDevice.objects.filter(user=user).delete()
    sign_in_record(
        kind=SignInKind.SECOND_FACTOR_RESET,
        request=request,
        user=user,
        actor=actor,
        detail={"devices_removed": removed + removed_static},
    )
    return bool(removed + removed_static)
