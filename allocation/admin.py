"""Basic admin for superusers; coordinators work in the pages, which go through the services."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import Assignment, Exchange, Share
from .services import assignments_recompute


class ShareInline(admin.TabularInline):
    model = Share
    extra = 0
    can_delete = False
    fields = [
        "municipality",
        "weight",
        "quota",
        "credit",
        "computed_share",
        "agreed_share",
        "agreed_reason",
        "carried_over",
        "realised",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title",
        "target_group",
        "total",
        "starts_on",
        "realise_by",
        "parent",
        "status",
        "region",
    ]
    list_filter = ["target_group", "status", "issuer", "region"]
    search_fields = ["code", "title"]
    list_select_related = ["region"]
    readonly_fields = ["computed_at", "realised_on", "compute_error", "adopted_at", "adopted_by"]
    raw_id_fields = ["follows", "parent"]
    inlines = [ShareInline]
    actions = ["recompute"]

    @admin.action(description=_("Verdeling en realisatie opnieuw berekenen"))
    def recompute(self, request, queryset):
        result = assignments_recompute(assignment_ids=list(queryset.values_list("pk", flat=True)))
        level = messages.WARNING if result["failed"] else messages.SUCCESS
        self.message_user(
            request,
            f"{result['assignments']} taakstellingen herberekend, {result['failed']} mislukt.",
            level,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # An edit in the admin goes through the same recompute as every other entry point;
        # an impossible distribution is recorded in compute_error and shown on the page.
        assignments_recompute(assignment_ids=[obj.pk])


@admin.register(Exchange)
class ExchangeAdmin(admin.ModelAdmin):
    list_display = [
        "date",
        "from_municipality",
        "from_assignment",
        "to_municipality",
        "to_assignment",
        "places",
        "to_places",
        "status",
    ]
    list_filter = ["status", "region"]
    list_select_related = [
        "from_municipality",
        "from_assignment",
        "to_municipality",
        "to_assignment",
    ]
    search_fields = ["reason", "from_municipality__name", "to_municipality__name"]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    # Exchanges are recorded and withdrawn on the pages, where the balance rules are checked.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
