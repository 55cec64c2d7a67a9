from django.contrib import admin

from .models import ImportRun, ScheduledRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only: runs are written by the import service only."""

    list_display = ["started_at", "kind", "file_name", "user", "status", "error_count"]
    list_filter = ["kind", "status", "safety_region"]
    search_fields = ["file_name", "sha256", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
