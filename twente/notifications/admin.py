from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import NotificationLog, NotificationSettings, NotificationStatus, OccupancyLevel
from .services import notification_requeue


@admin.register(NotificationLog)
class NotificationLogAdmin(admin.ModelAdmin):
    """What was sent, to whom, and what failed (with the mail server's answer). Read-only:
    rows are written by the sending service; a failed one can be sent again."""

    list_display = [
        "created",
        "recipient",
        "kind",
        "period",
        "status",
        "attempts",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "kind", "safety_region"]
    search_fields = ["recipient__username", "email", "period", "subject"]
    list_select_related = ["recipient"]
    date_hierarchy = "created"
    actions = ["send_again"]

    @admin.display(description=_("laatste fout"))
    def short_error(self, obj: NotificationLog) -> str:
        return Truncator(obj.error).chars(80)

    @admin.action(description=_("Opnieuw versturen (mislukt of blijven hangen)"))
    def send_again(self, request, queryset):
        stuck = queryset.filter(status__in=[NotificationStatus.FAILED, NotificationStatus.SENDING])
        count = sum(notification_requeue(log=log) for log in stuck)
        self.message_user(
            request,
            _("%(count)s bericht(en) opnieuw in de wachtrij.") % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "report_reminder",
        "region_digest",
        "action_reminder",
        "threshold_alert",
        "language",
    ]
    list_filter = ["language"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(OccupancyLevel)
class OccupancyLevelAdmin(admin.ModelAdmin):
    """The levels the alerts last saw; written by the recompute's follow-up only."""

    list_display = ["safety_region", "target_group", "level", "changed"]
    list_filter = ["safety_region", "target_group"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
