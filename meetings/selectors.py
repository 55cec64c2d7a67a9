"""Reads for the pages, exports and API: each in a fixed number of queries."""

from django.db.models import F, Prefetch

from .models import AgendaItem, Attachment, Attendance, Entry, EntryQuerySet, Meeting


def meetings_listed():
    return Meeting.objects.select_related("body", "minutes_approved_at__body").order_by(
        "-date", "body__code"
    )


def meeting_with_minutes():
    """Meetings with their agenda items (each with entries, attachments and municipalities)
    and attendance prefetched: one query per relation, whatever the size of the minutes."""
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


def actions_register() -> EntryQuerySet:
    """Every action once, at the latest meeting it was carried to; soonest due date first."""
    return (
        Entry.objects.actions()
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
