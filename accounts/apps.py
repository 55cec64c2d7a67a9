from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Inloggen en toegang"

    def ready(self) -> None:
        from . import checks, receivers  # noqa: F401  (registers the checks and receivers)
