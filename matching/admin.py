from django.contrib import admin

from .models import Placement, PlacementRequest


@admin.register(PlacementRequest)
class PlacementRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "people", "target_group", "category", "origin", "region"]
    list_filter = ["target_group", "category", "origin"]
    list_select_related = ["region"]
    readonly_fields = ["created_at", "created_by"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    """Read-only: placements change occupancy, so they are made and ended on the matching
    pages or the API (the services keep the capacity reports in step)."""

    list_display = ["placed_at", "location", "people", "target_group", "category", "status"]
    list_filter = ["status", "target_group", "category"]
    list_select_related = ["location"]
    search_fields = ["location__code", "location__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
