from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "allocation"
    verbose_name = "Taakstellingen"

    def ready(self) -> None:
        # Capacity must not import allocation, so realisation hooks into its recompute here.
        from capacity.recompute import register_followup

        from .services import realisation_followup

        register_followup(realisation_followup)
