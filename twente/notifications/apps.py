from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "twente.notifications"
    label = "notifications"
    verbose_name = _("Meldingen")

    def ready(self) -> None:
        # Capacity must not import the notifications, so the occupancy alert hooks into its
        # recompute here (as allocation's realisation does).
        from capacity.recompute import register_followup

        from .services import threshold_followup

        register_followup(threshold_followup)
