"""Django's auth signals are the one place every way of signing in passes (the login page, the
admin, the OpenID Connect callback, a test client's login), so the audit listens there. The
receivers only record; they change nothing else."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import SignInKind, SignInMethod
from .selectors import OIDC_BACKEND
from .services import sign_in_record


def _method(backend_path: str | None) -> str:
    return SignInMethod.OIDC if backend_path == OIDC_BACKEND else SignInMethod.LOCAL


@receiver(user_logged_in, dispatch_uid="accounts-login")
def record_login(sender, request, user, **kwargs):
    sign_in_record(
        kind=SignInKind.LOGIN,
        method=_method(getattr(user, "backend", None)),
        request=request,
        user=user,
    )


@receiver(user_login_failed, dispatch_uid="accounts-login-failed")
def record_login_failure(sender, credentials, request=None, **kwargs):
    # A failed OpenID Connect callback carries no username; the callback view records it
    # with the reason it knows.
    if "username" not in credentials:
        return
    sign_in_record(
        kind=SignInKind.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username") or ""),
    )


@receiver(user_logged_out, dispatch_uid="accounts-logout")
def record_logout(sender, request, user, **kwargs):
    if user is None or not user.is_authenticated:
        return
    session = getattr(request, "session", None)
    backend = session.get(BACKEND_SESSION_KEY) if session is not None else None
    sign_in_record(kind=SignInKind.LOGOUT, method=_method(backend), request=request, user=user)
