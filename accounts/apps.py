from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Inloggen en toegang")

    def ready(self) -> None:
        from . import checks, receivers  # noqa: F401  (registers the checks and receivers)
