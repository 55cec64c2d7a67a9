from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _changed(sender, **kwargs) -> None:
    from . import read_cache

    read_cache.everything_changed()


class CapacityConfig(AppConfig):
    name = "capacity"
    verbose_name = _("Opvangcapaciteit")

    def ready(self):
        # The cached reads (read_cache.py) name, place and count locations: a change to one
        # may move it to another region, so every region's entries go; so do the thresholds.
        location = self.get_model("Location")
        post_save.connect(_changed, sender=location, dispatch_uid="read-cache-location")
        post_delete.connect(_changed, sender=location, dispatch_uid="read-cache-location-delete")
        threshold = self.get_model("OccupancyThreshold")
        post_save.connect(_changed, sender=threshold, dispatch_uid="read-cache-threshold")
        post_delete.connect(_changed, sender=threshold, dispatch_uid="read-cache-threshold-delete")
