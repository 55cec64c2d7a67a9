from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "twente.notifications"
    label = "notifications"
    verbose_name = "Meldingen"
