from django.contrib import admin

from .models import KeyFigure, Membership, Municipality, Province, SafetyRegion


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
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "safety_region"]
    list_filter = ["safety_region"]
    search_fields = ["code", "name"]
    list_select_related = ["safety_region"]
    inlines = [KeyFigureInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "safety_region", "municipality"]
    list_filter = ["safety_region"]
    search_fields = ["user__username", "municipality__name"]
    list_select_related = ["user", "safety_region", "municipality"]
    autocomplete_fields = ["municipality"]
