from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class NotificationsConfig(AppConfig):
    name = "twente.notifications"
    label = "notifications"
    # The same word means "reports" on the location page: the context tells them apart.
    verbose_name = pgettext_lazy("notification settings", "Meldingen")

    def ready(self) -> None:
        # Capacity must not import the notifications, so the occupancy alert hooks into its
        # recompute here (as allocation's realisation does).
        from capacity.recompute import register_followup

        from .services import threshold_followup

        register_followup(threshold_followup)
