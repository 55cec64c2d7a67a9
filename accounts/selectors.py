"""Reads for signing in: how a session signed in and whether it still owes a second factor."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY

from municipalities.roles import has_role

OIDC_BACKEND = "accounts.oidc.OIDCBackend"


def signed_in_through_oidc(request) -> bool:
    session = getattr(request, "session", None)
    return session is not None and session.get(BACKEND_SESSION_KEY) == OIDC_BACKEND


def is_verified(user) -> bool:
    """Whether this session gave a second factor (django-otp marks the user with the device)."""
    return getattr(user, "otp_device", None) is not None


def second_factor_required(request) -> bool:
    """Local logins of superusers, staff (the admin) and the listed roles need a second factor;
    every account with TWO_FACTOR_ALL_ROLES. Logins through the identity provider rely on its
    second factor unless OIDC_TRUST_PROVIDER_MFA is off."""
    user = getattr(request, "user", None)
    if settings.TWO_FACTOR_BYPASS or user is None or not user.is_authenticated:
        return False
    if settings.OIDC_TRUST_PROVIDER_MFA and signed_in_through_oidc(request):
        return False
    if settings.TWO_FACTOR_ALL_ROLES or user.is_superuser or user.is_staff:
        return True
    return has_role(user, *settings.TWO_FACTOR_ROLES)


def second_factor_pending(request) -> bool:
    return second_factor_required(request) and not is_verified(request.user)
