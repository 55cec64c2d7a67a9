"""Signing in and out, the second factor and the "no role yet" page."""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from . import services
from .forms import CodeForm
from .messages import refusal_text
from .middleware import second_factor_exempt, second_factor_url
from .oidc import end_session_url
from .selectors import (
    is_verified,
    second_factor_pending,
    second_factor_required,
    signed_in_through_oidc,
)

SECOND_FACTOR_ERRORS = {
    "wrong_code": _("Deze code klopt niet (of is al gebruikt). Probeer het opnieuw."),
    "throttled": _("Te veel onjuiste codes achter elkaar. Wacht even en probeer het dan opnieuw."),
    "already_set_up": _("Tweestapsverificatie is voor dit account al ingesteld."),
    "not_needed": _("Voor uw account is geen tweestapsverificatie nodig."),
}
LOCAL_LOGIN_OFF = _(
    "Inloggen met gebruikersnaam en wachtwoord staat uit; log in met uw organisatie-account."
)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """The one login page: the organisation's account (when configured) above the local form."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["local_login"] = settings.LOCAL_LOGIN
        if settings.OIDC_ENABLED:
            url = reverse("accounts:oidc-authenticate")
            if context.get("next"):
                url += "?" + urlencode({"next": context["next"]})
            context["oidc_login_url"] = url
        return context

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN:
            raise PermissionDenied(LOCAL_LOGIN_OFF)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        if second_factor_pending(self.request):
            return redirect(second_factor_url(self.request, self.get_success_url()))
        return response


@login_not_required
def admin_login(request, extra_context=None):
    """The admin signs in on the same page (with the organisation's account and the second
    factor) instead of its own form."""
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")


@login_not_required
@second_factor_exempt
@require_POST
def logout(request):
    """End the session here and, for an account of the identity provider, there too."""
    end_session = None
    if signed_in_through_oidc(request) or "oidc_id_token" in request.session:
        end_session = end_session_url(request)
    auth.logout(request)
    if end_session:
        return render(request, "accounts/signing_out.html", {"end_session_url": end_session})
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_not_required
def no_role(request):
    refusal = request.session.get("oidc_refusal") or {"code": "no_role", "params": {}}
    context = {
        "reason": refusal_text(refusal["code"], refusal.get("params")),
        "contact": settings.ACCESS_CONTACT,
        # The provider still has a session: offer to end it, to sign in as someone else.
        "provider_logout": "oidc_id_token" in request.session and bool(end_session_url(request)),
    }
    return render(request, "accounts/no_role.html", context, status=403)


def _qr_data_uri(device) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _grouped_secret(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@second_factor_exempt
def second_factor_setup(request):
    """Set up the authenticator app: scan the QR code, type its first code."""
    next_url = _next_url(request)
    if not second_factor_required(request):
        messages.info(request, SECOND_FACTOR_ERRORS["not_needed"])
        return redirect(next_url)
    if user_has_device(request.user, confirmed=True):
        # A new app only after a reset by the application manager: otherwise whoever has the
        # password could replace the owner's app with their own.
        if not is_verified(request.user):
            return redirect(second_factor_url(request, next_url))
        messages.info(request, SECOND_FACTOR_ERRORS["already_set_up"])
        return redirect(next_url)
    device = services.totp_device_pending(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.second_factor_setup_confirm(
                request=request, token=form.cleaned_data["token"]
            )
        except services.SecondFactorError as error:
            form.add_error("token", SECOND_FACTOR_ERRORS[error.code])
        else:
            request.session["new_recovery_codes"] = codes
            return redirect(f"{reverse('accounts:recovery-codes')}?{urlencode({'next': next_url})}")
    context = {
        "form": form,
        "next": next_url,
        "qr": _qr_data_uri(device),
        "secret": _grouped_secret(device),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "accounts/second_factor_setup.html", context)


@second_factor_exempt
def second_factor_verify(request):
    """The second step of a local login: a code from the app, or a recovery code."""
    next_url = _next_url(request)
    if not second_factor_required(request) or is_verified(request.user):
        return redirect(next_url)
    if not user_has_device(request.user, confirmed=True):
        return redirect(second_factor_url(request, next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(
                request=request, token=form.cleaned_data["token"]
            )
        except services.SecondFactorError as error:
            form.add_error("token", SECOND_FACTOR_ERRORS[error.code])
        else:
            if device.persistent_id.startswith("otp_static"):
                left = services.recovery_codes_left(user=request.user)
                messages.warning(
                    request,
                    _(
                        "U heeft een herstelcode gebruikt; er zijn er nog %(left)s. Maak "
                        "nieuwe herstelcodes als u er bijna geen meer heeft."
                    )
                    % {"left": left},
                )
            return redirect(next_url)
    return render(request, "accounts/second_factor_verify.html", {"form": form, "next": next_url})


def recovery_codes(request):
    """The recovery codes just made (shown once), or make new ones (the old ones stop)."""
    next_url = _next_url(request)
    if not second_factor_required(request):
        messages.info(request, SECOND_FACTOR_ERRORS["not_needed"])
        return redirect(next_url)
    codes = request.session.pop("new_recovery_codes", None)
    if request.method == "POST":
        if not is_verified(request.user):
            raise PermissionDenied("Geef eerst uw tweede factor.")
        codes = services.recovery_codes_renew(request=request)
    context = {
        "codes": codes,
        "left": services.recovery_codes_left(user=request.user),
        "next": next_url,
        "has_device": user_has_device(request.user, confirmed=True),
    }
    return render(request, "accounts/recovery_codes.html", context)
