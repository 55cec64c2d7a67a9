from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from imports.admin import ImportLinkAdminMixin

from .models import KeyFigure, Membership, Municipality, Province, SafetyRegion
from .resources import KeyFigureResource, MunicipalityResource


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(SafetyRegion)
class SafetyRegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(ImportLinkAdminMixin, SimpleHistoryAdmin):
    import_kind = "municipalities"
    resource_classes = [MunicipalityResource]
    list_display = ["code", "name", "safety_region"]
    list_filter = ["safety_region"]
    search_fields = ["code", "name"]
    list_select_related = ["safety_region"]
    inlines = [KeyFigureInline]


@admin.register(KeyFigure)
class KeyFigureAdmin(ImportLinkAdminMixin, SimpleHistoryAdmin):
    """Dated key figures; the import and export handle the population column."""

    import_kind = "population"
    resource_classes = [KeyFigureResource]
    list_display = ["municipality", "date", "population", "ses_woa_factor", "land_area_km2"]
    list_filter = ["municipality__safety_region", "date"]
    search_fields = ["municipality__code", "municipality__name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "safety_region", "municipality"]
    list_filter = ["safety_region"]
    search_fields = ["user__username", "municipality__name"]
    list_select_related = ["user", "safety_region", "municipality"]
    autocomplete_fields = ["municipality"]
