from django.urls import path

from . import oidc, views

app_name = "accounts"

urlpatterns = [
    path("tweestapsverificatie/", views.second_factor_verify, name="second-factor"),
    path(
        "tweestapsverificatie/instellen/",
        views.second_factor_setup,
        name="second-factor-setup",
    ),
    path("tweestapsverificatie/herstelcodes/", views.recovery_codes, name="recovery-codes"),
    path("geen-rol/", views.no_role, name="no-role"),
    path("oidc/authenticate/", oidc.AuthenticateView.as_view(), name="oidc-authenticate"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc-callback"),
]
