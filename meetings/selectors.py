"""Reads for the pages, exports and API: each in a fixed number of queries.

Lists are scoped to a safety region: the meetings of its own bodies and of its province's
(`Body.for_region`). Single objects are fetched unscoped and checked by `permissions`, so
that another region's meeting gives 403 rather than 404.
"""

from django.db.models import F, Prefetch

from municipalities.models import SafetyRegion

from .models import AgendaItem, Attachment, Attendance, Body, Entry, EntryQuerySet, Meeting


def body_codes(region: SafetyRegion | None) -> list[tuple[str, str]]:
    """The codes of the bodies a region's people read, as choices (one query)."""
    codes = (
        Body.objects.for_region(region).order_by("code").values_list("code", flat=True).distinct()
    )
    return [(code, code) for code in codes]


def meeting_one():
    """Unscoped, for fetching one meeting whose access `permissions` checks afterwards."""
    return Meeting.objects.select_related("body", "minutes_approved_at__body")


def meetings_listed(*, region: SafetyRegion | None):
    """The meetings of the region's bodies and its province's, newest first (none without a
    region)."""
    return meeting_one().for_region(region).order_by("-date", "body__code")


def meeting_with_minutes():
    """Meetings with their agenda items (each with entries, attachments and municipalities)
    and attendance prefetched: one query per relation, whatever the size of the minutes.
    Unscoped, for fetching one meeting whose access `permissions` checks."""
    entries = Entry.objects.with_context().order_by("position", "pk")
    items = AgendaItem.objects.order_by("position", "pk").prefetch_related(
        Prefetch("entries", queryset=entries),
        Prefetch("attachments", queryset=Attachment.objects.order_by("position", "pk")),
        "municipalities",
        "locations",
    )
    attendance = Attendance.objects.select_related("municipality").order_by("position", "pk")
    return Meeting.objects.select_related("body", "minutes_approved_at__body").prefetch_related(
        Prefetch("agenda_items", queryset=items),
        Prefetch("attendance", queryset=attendance),
    )


def meeting_entries(meeting: Meeting, *, kinds: tuple[str, ...] = ("B", "A")) -> EntryQuerySet:
    """The decision and action list of one meeting, in the order of the minutes."""
    return (
        Entry.objects.filter(item__meeting=meeting, kind__in=kinds)
        .with_context()
        .in_minutes_order()
    )


def actions_register(*, region: SafetyRegion | None) -> EntryQuerySet:
    """Every action of the region's meetings (see `meetings_listed`) once, at the latest
    meeting it was carried to; soonest due date first. No region, no actions."""
    return (
        Entry.objects.actions()
        .for_region(region)
        .current()
        .with_context()
        .order_by(
            F("due_date").asc(nulls_last=True),
            "-item__meeting__date",
            "item__position",
            "position",
            "pk",
        )
    )
