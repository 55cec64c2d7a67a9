from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _placement_changed(sender, instance, **kwargs) -> None:
    from capacity import read_cache

    read_cache.locations_changed([instance.location_id])


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        # The dashboard reads the placements of the last days from the read cache.
        placement = self.get_model("Placement")
        post_save.connect(_placement_changed, sender=placement, dispatch_uid="read-cache-placed")
        post_delete.connect(
            _placement_changed, sender=placement, dispatch_uid="read-cache-placement-deleted"
        )
