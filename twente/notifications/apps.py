from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class NotificationsConfig(AppConfig):
    name = "twente.notifications"
    label = "notifications"
    # The same word means "reports" on the location page: the context tells them apart.
    verbose_name = pgettext_lazy("notification settings", "Meldingen")
