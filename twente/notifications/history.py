"""The reminder history of the completeness page: per municipality, the weekly-count
reminders of one week, when they went, and whether the counts came in after them."""

import datetime

from django.db.models import Max

from capacity.models import CapacityReport
from municipalities.models import SafetyRegion

from .models import NotificationLog, NotificationStatus
from .selection import iso_week


def reminder_history(*, region: SafetyRegion, week_start: datetime.date) -> dict[int, dict]:
    """{municipality id: {"reminders": [log, ...], "reported_after": datetime | None}} for
    the municipalities of `region` that were reminded in the week starting `week_start`.
    `reported_after` is the last time a report dated in that week was saved, when that was
    after the first reminder. Two queries."""
    logs = (
        NotificationLog.objects.report_reminders_in(
            region_id=region.pk, period_prefix=iso_week(week_start)
        )
        .filter(status__in=[NotificationStatus.SENT, NotificationStatus.FAILED])
        .select_related("recipient")
        .order_by("municipality_id", "created", "pk")
    )
    history: dict[int, dict] = {}
    for log in logs:
        history.setdefault(log.municipality_id, {"reminders": [], "reported_after": None})
        history[log.municipality_id]["reminders"].append(log)
    if not history:
        return history
    saved = (
        CapacityReport.objects.filter(
            location__municipality_id__in=list(history),
            date__gte=week_start,
            date__lte=week_start + datetime.timedelta(days=6),
        )
        .values("location__municipality_id")
        .annotate(last=Max("updated"))
        .order_by()
    )
    for row in saved:
        entry = history[row["location__municipality_id"]]
        first = min(log.sent_at or log.created for log in entry["reminders"])
        if row["last"] > first:
            entry["reported_after"] = row["last"]
    return history
