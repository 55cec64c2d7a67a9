from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    name = "allocation"
    verbose_name = _("Taakstellingen")

    def ready(self) -> None:
        # Capacity must not import allocation, so realisation hooks into its recompute here.
        from capacity.recompute import register_followup

        from .services import realisation_followup

        register_followup(realisation_followup)
