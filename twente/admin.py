from django.contrib import admin

from .models import ScheduledRun


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    """Read-only: when the nightly jobs last ran and what they did. The schedule itself is
    the PeriodicTask "Nachtelijke taken" (Periodieke taken), where it can be paused."""

    list_display = ["date", "recompute_from", "finished_at"]
    readonly_fields = ["date", "recompute_from", "finished_at", "summary"]
    date_hierarchy = "date"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
