from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from imports.admin import ImportLinkAdminMixin

from .choices import ReportSource
from .lifecycle import effective_status_text
from .models import (
    CapacityReport,
    Location,
    NationalFigure,
    OccupancySnapshot,
    OccupancyThreshold,
    PermitHolderReport,
)
from .reporting import ReportEntry, reports_check, reports_record
from .resources import CapacityReportResource, LocationResource, PermitHolderReportResource
from .services import recompute_enqueue, report_flag_clear


class VersionCheckedForm(forms.ModelForm):
    """An admin change form that refuses to overwrite a change someone else saved after the
    form was shown, as the pages and the API do (optimistic locking on `version`)."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # The admin validates and saves in one transaction: the row stays locked from
            # this check until the save.
            current = (
                type(self.instance)
                .objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if cleaned.get("seen_version") != current:
                raise forms.ValidationError(
                    _(
                        "Iemand anders heeft dit intussen gewijzigd. Er is niets opgeslagen: laad "
                        "de pagina opnieuw en voer uw wijziging nog eens in."
                    )
                )
        return cleaned


class VersionedAdmin:
    form = VersionCheckedForm

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = form.cleaned_data["seen_version"] + 1
        super().save_model(request, obj, form, change)


class RecomputeAfterChange:
    """Changes made in the admin reach the occupancy aggregates like any other change."""

    def municipality_ids(self, obj) -> set[int]:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        before = set()
        if change and obj.pk:
            before = self.municipality_ids(type(obj).objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        recompute_enqueue(before | self.municipality_ids(obj), None)

    def delete_model(self, request, obj):
        ids = self.municipality_ids(obj)
        super().delete_model(request, obj)
        recompute_enqueue(ids, None)

    def delete_queryset(self, request, queryset):
        ids = set().union(*(self.municipality_ids(obj) for obj in queryset))
        super().delete_queryset(request, queryset)
        recompute_enqueue(ids, None)


@admin.register(Location)
class LocationAdmin(VersionedAdmin, RecomputeAfterChange, ImportLinkAdminMixin, SimpleHistoryAdmin):
    import_kind = "locations"
    resource_classes = [LocationResource]
    list_display = [
        "code",
        "name",
        "municipality",
        "type",
        "target_group",
        "status",
        "state_today",
        "contract_end",
        "demo",
    ]
    list_filter = ["status", "type", "target_group", "demo", "municipality__safety_region"]
    search_fields = ["code", "name", "place", "municipality__name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    readonly_fields = ["demo", "version", "created", "updated"]

    def municipality_ids(self, obj) -> set[int]:
        return {obj.municipality_id}

    @admin.display(description=_("stand vandaag"))
    def state_today(self, obj) -> str:
        return effective_status_text(obj, timezone.localdate())


class CapacityReportForm(VersionCheckedForm):
    """A report's counts in the admin, checked by the rules every report write gets
    (`reporting.reports_check`: the contract end among them) before anything is saved."""

    def entry(self) -> ReportEntry:
        report = self.instance
        return ReportEntry(
            location_id=report.location_id,
            date=report.date,
            capacity=report.capacity,
            occupied=report.occupied,
            reserved=report.reserved,
            expected_version=self.cleaned_data.get("seen_version") if report.pk else None,
        )

    def _post_clean(self):
        super()._post_clean()  # the model's own rules, on the instance the form built
        if self.errors:
            return
        for field, errors in reports_check(entries=[self.entry()]).errors.get(0, {}).items():
            self.add_error(field if field in self.fields else None, errors)


@admin.register(CapacityReport)
class CapacityReportAdmin(
    VersionedAdmin, RecomputeAfterChange, ImportLinkAdminMixin, SimpleHistoryAdmin
):
    form = CapacityReportForm
    import_kind = "capacity-reports"
    resource_classes = [CapacityReportResource]
    list_display = ["location", "date", "capacity", "occupied", "reserved", "source", "flagged"]
    list_filter = ["source", "flagged", "date"]
    search_fields = ["location__code", "location__name"]
    list_select_related = ["location"]
    raw_id_fields = ["location", "reported_by"]
    date_hierarchy = "date"
    # Who reported it, from where, and whether it is flagged are the service's to set.
    readonly_fields = [
        "source",
        "reported_by",
        "flagged",
        "flag_reason",
        "version",
        "created",
        "updated",
    ]
    actions = ["mark_checked"]

    def get_readonly_fields(self, request, obj=None):
        # A report is the counts of one location on one date: those two stay (as in the API).
        fixed = ["location", "date"] if obj is not None else []
        return [*fixed, *self.readonly_fields]

    def municipality_ids(self, obj) -> set[int]:
        return {obj.location.municipality_id}

    def save_model(self, request, obj, form, change):
        """Through `reports_record`, as every report write: checks, flag, version (the one
        the form showed), history and the recompute."""
        result = reports_record(
            entries=[form.entry()], source=ReportSource.ADMIN, user=request.user
        )
        saved = result.reports[0]
        for name in ("pk", "version", "flagged", "flag_reason", "source", "reported_by_id"):
            setattr(obj, name, getattr(saved, name))
        if saved.flagged:
            self.message_user(
                request,
                f"{saved.location.name}: opgeslagen, maar ter controle gemarkeerd. "
                f"{saved.flag_reason}",
                messages.WARNING,
            )

    @admin.action(description=_("Markeer als nagekeken (cijfers kloppen)"))
    def mark_checked(self, request, queryset):
        reports = list(queryset.filter(flagged=True))
        for report in reports:
            report_flag_clear(report=report, user=request.user)
        self.message_user(
            request, _("%(count)s melding(en) als nagekeken gemarkeerd.") % {"count": len(reports)}
        )


@admin.register(PermitHolderReport)
class PermitHolderReportAdmin(
    VersionedAdmin, RecomputeAfterChange, ImportLinkAdminMixin, SimpleHistoryAdmin
):
    import_kind = "permit-holders"
    resource_classes = [PermitHolderReportResource]
    list_display = ["municipality", "date", "housed", "housed_amv", "linked", "source"]
    list_filter = ["source", "municipality__safety_region", "date"]
    search_fields = ["municipality__code", "municipality__name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    raw_id_fields = ["reported_by"]
    date_hierarchy = "date"
    readonly_fields = ["version", "created", "updated"]

    def municipality_ids(self, obj) -> set[int]:
        # The recompute's followups bring the permit-holder tasks up to date.
        return {obj.municipality_id}


@admin.register(OccupancyThreshold)
class OccupancyThresholdAdmin(SimpleHistoryAdmin):
    list_display = ["target_group", "warning", "tipping_point"]

    def has_add_permission(self, request) -> bool:
        return False  # one row per target group, made by a data migration

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OccupancySnapshot)
class OccupancySnapshotAdmin(admin.ModelAdmin):
    """Read-only: the worker writes these from the reports."""

    list_display = ["municipality", "target_group", "date", "valid_until", "capacity", "occupied"]
    list_filter = ["target_group", "municipality__safety_region"]
    list_select_related = ["municipality"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NationalFigure)
class NationalFigureAdmin(SimpleHistoryAdmin):
    list_display = ["date", "target_group", "available_places", "occupancy_rate", "entered_by"]
    list_filter = ["target_group"]
    readonly_fields = ["entered_by", "created", "updated"]

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)
