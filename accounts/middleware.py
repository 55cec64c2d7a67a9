from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from .selectors import second_factor_pending

# Reachable while the second factor is still owed: leaving, and choosing the language.
EXEMPT_VIEWS = {"logout", "set_language", "health"}


def second_factor_exempt(view):
    """Mark a view reachable before the second factor is given (the second-factor pages)."""
    view.second_factor_exempt = True
    return view


def second_factor_url(request, next_url: str | None = None) -> str:
    name = "accounts:second-factor"
    if not user_has_device(request.user, confirmed=True):
        name = "accounts:second-factor-setup"
    url = reverse(name)
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return url


class SecondFactorMiddleware:
    """An account that owes a second factor (accounts.selectors.second_factor_required) reaches
    nothing but the second-factor pages until it gives one: every page and the admin redirect
    there, and the API treats the session as not signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not second_factor_pending(request):
            return None
        request.second_factor_pending = True
        if request.path.startswith("/api/"):
            # DRF marks its views login-exempt; the session simply does not count there.
            request.user = AnonymousUser()
            return None
        match = request.resolver_match
        if (
            getattr(view_func, "second_factor_exempt", False)
            or getattr(view_func, "login_required", True) is False
            or (match is not None and match.view_name in EXEMPT_VIEWS)
        ):
            return None
        next_url = request.get_full_path() if request.method == "GET" else None
        return redirect(second_factor_url(request, next_url))
