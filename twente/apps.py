import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwenteConfig(AppConfig):
    name = "twente"
    verbose_name = _("Twente")

    def ready(self):
        from rest_framework import fields

        # Every date-time of the API in UTC, written with `Z` (NL GOV ADR /core/date-time),
        # also for serializers added later: DRF reads a field's `timezone` before falling
        # back to the active one (Europe/Amsterdam, which the pages keep showing).
        fields.DateTimeField.timezone = datetime.UTC
