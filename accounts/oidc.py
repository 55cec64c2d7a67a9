"""OpenID Connect through mozilla-django-oidc: the provider's endpoints (discovery), the
backend that turns claims into an account, and the login and callback views.

mozilla-django-oidc reads every endpoint from its own settings when a view or backend is
built; Django builds a backend for every request of a signed-in user, so the subclasses here
read the endpoints only when a login needs them, from the discovery document (cached)
overridden by endpoints set one by one.
"""

import logging
import time
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from .backends import get_user_with_membership
from .claims import AccessRefused
from .models import SignInKind, SignInMethod

logger = logging.getLogger(__name__)

DISCOVERY_SECONDS = 3600
WELL_KNOWN = "/.well-known/openid-configuration"
_discovered: dict[str, tuple[float, dict]] = {}


class ProviderUnavailable(Exception):
    """The identity provider's discovery document cannot be read."""


def provider_config() -> dict:
    """The provider's metadata: its discovery document with the endpoints set one by one on
    top. Cached for an hour per discovery URL."""
    discovered: dict = {}
    url = settings.OIDC_OP_DISCOVERY_URL
    if url:
        if not url.rstrip("/").endswith(WELL_KNOWN):
            url = url.rstrip("/") + WELL_KNOWN
        cached = _discovered.get(url)
        if cached and cached[0] > time.monotonic():
            discovered = cached[1]
        else:
            try:
                response = requests.get(
                    url, timeout=settings.OIDC_TIMEOUT, verify=settings.OIDC_VERIFY_SSL
                )
                response.raise_for_status()
                discovered = response.json()
            except (requests.RequestException, ValueError) as exc:
                raise ProviderUnavailable(f"{url}: {exc}") from exc
            _discovered[url] = (time.monotonic() + DISCOVERY_SECONDS, discovered)
    explicit = {
        "issuer": settings.OIDC_OP_ISSUER,
        "authorization_endpoint": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.OIDC_OP_TOKEN_ENDPOINT,
        "userinfo_endpoint": settings.OIDC_OP_USER_ENDPOINT,
        "jwks_uri": settings.OIDC_OP_JWKS_ENDPOINT,
        "end_session_endpoint": settings.OIDC_OP_LOGOUT_ENDPOINT,
    }
    return {**discovered, **{key: value for key, value in explicit.items() if value}}


def end_session_url(request) -> str | None:
    """Where to send the browser to end the provider's session too (RP-initiated logout), or
    None when the provider offers no end_session_endpoint."""
    if not settings.OIDC_ENABLED:
        return None
    try:
        endpoint = provider_config().get("end_session_endpoint")
    except ProviderUnavailable:
        logger.warning("oidc: provider unavailable at logout; only the local session ends")
        return None
    if not endpoint:
        return None
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(
            resolve_url(settings.LOGOUT_REDIRECT_URL)
        ),
    }
    id_token = request.session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"


def is_oidc_attempt(request, credentials) -> bool:
    """django-axes whitelist: a failed OpenID Connect callback is not a password guess."""
    credentials = credentials or {}
    return "code_verifier" in credentials or "nonce" in credentials


class OIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Not the parent's __init__: it reads the endpoints (see the module docstring).
        self.UserModel = get_user_model()

    get_user = get_user_with_membership  # honours is_active, as the local backend does

    @property
    def OIDC_RP_IDP_SIGN_KEY(self) -> str | None:
        return settings.OIDC_RP_IDP_SIGN_KEY  # a pinned key (PEM); else the provider's JWKS

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:
        return settings.OIDC_RP_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:
        return settings.OIDC_RP_SIGN_ALGO

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return provider_config()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str | None:
        return provider_config().get("userinfo_endpoint")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str | None:
        return provider_config().get("jwks_uri")

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce; a password login never reaches the provider.
        if not settings.OIDC_ENABLED or request is None or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:
            # The ID token. mozilla-django-oidc checks signature, expiry and nonce, but not
            # for whom and by whom it was issued: a token for another client is not ours.
            issuer = provider_config().get("issuer")
            if issuer and payload.get("iss") != issuer:
                raise SuspiciousOperation("ID token from another issuer")
            audience = payload.get("aud")
            audiences = [audience] if isinstance(audience, str) else list(audience or [])
            if settings.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("ID token for another client")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        from .services import oidc_account_sync

        userinfo = {}
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub", payload.get("sub")) != payload.get("sub"):
                raise SuspiciousOperation("userinfo is about another subject")
        # Entra ID puts roles and groups in the ID token only; the userinfo adds the rest.
        claims = {**payload, **userinfo}
        try:
            return oidc_account_sync(
                request=self.request,
                issuer=str(payload.get("iss", "")),
                subject=str(payload["sub"]),
                claims=claims,
            )
        except AccessRefused as refusal:
            self.request.oidc_refusal = refusal
            return None


def _provider_unavailable(request):
    return render(request, "accounts/provider_unavailable.html", status=503)


@method_decorator(login_not_required, name="dispatch")
class AuthenticateView(OIDCAuthenticationRequestView):
    """ "Inloggen met uw organisatie-account": off to the provider (code flow with PKCE)."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the parent reads the endpoint here; see get()

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_config()["authorization_endpoint"]
        except (ProviderUnavailable, KeyError):
            logger.exception("oidc: no authorization endpoint")
            return _provider_unavailable(request)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class CallbackView(OIDCAuthenticationCallbackView):
    """Back from the provider: the account is made or updated from the claims, or refused."""

    failure_reason = ""

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except (requests.RequestException, ProviderUnavailable, SuspiciousOperation) as exc:
            logger.warning("oidc: login failed: %s", exc)
            self.failure_reason = exc.__class__.__name__
            return self.login_failure()

    def login_failure(self):
        from .services import sign_in_record

        request = self.request
        refusal = getattr(request, "oidc_refusal", None)
        if refusal is not None:
            # Recorded by the service; the page says why and whom to ask.
            request.session["oidc_refusal"] = {"code": refusal.code, "params": refusal.params}
            return redirect("accounts:no-role")
        reason = request.GET.get("error") or self.failure_reason or "not_authenticated"
        sign_in_record(
            kind=SignInKind.LOGIN_FAILED,
            method=SignInMethod.OIDC,
            request=request,
            detail={
                "reason": reason,
                "description": request.GET.get("error_description", "")[:300],
            },
        )
        messages.error(
            request,
            _(
                "Inloggen met uw organisatie-account is niet gelukt. Probeer het "
                "opnieuw, of neem contact op met %(ACCESS_CONTACT)s."
            )
            % {"ACCESS_CONTACT": settings.ACCESS_CONTACT},
        )
        return redirect(reverse("login"))
