"""Reads for the pages, exports and API: each in a fixed number of queries.

Lists hold what the user reads (`visible_to`, the rule of `meetings.readers`); the dashboard's
open actions are those of its safety region's tables (`Body.for_region`). Single objects are
fetched unscoped and checked by `permissions`, so that a meeting out of reach gives 403
rather than 404.
"""

from django.db.models import F, Prefetch, Q

from capacity.discretion import named_only
from capacity.models import Location
from municipalities.models import SafetyRegion

from .models import (
    AgendaItem,
    Attachment,
    Attendance,
    Body,
    Entry,
    EntryQuerySet,
    Meeting,
    MinutesCorrection,
)


def body_codes(user) -> list[tuple[str, str]]:
    """The codes of the bodies `user` reads, as choices (one query; none without a user)."""
    bodies = Body.objects.visible_to(user) if user is not None else Body.objects.none()
    codes = bodies.order_by("code").values_list("code", flat=True).distinct()
    return [(code, code) for code in codes]


def meeting_one():
    """Unscoped, for fetching one meeting whose access `permissions` checks afterwards."""
    return Meeting.objects.select_related("body", "minutes_approved_at__body")


def meetings_listed(*, user):
    """The meetings `user` reads, newest first."""
    return meeting_one().visible_to(user).order_by("-date", "body__code")


def meeting_with_minutes(user=None):
    """Meetings with their agenda items (each with entries, attachments and municipalities)
    and attendance prefetched: one query per relation, whatever the size of the minutes.
    Unscoped, for fetching one meeting whose access `permissions` checks; the locations an
    item names leave out those yet to open that `user` may not name (`capacity.discretion`)."""
    locations = Location.objects.order_by("name")
    if user is not None:
        locations = named_only(user, locations)
    entries = Entry.objects.with_context().order_by("position", "pk")
    items = AgendaItem.objects.order_by("position", "pk").prefetch_related(
        Prefetch("entries", queryset=entries),
        Prefetch("attachments", queryset=attachments()),
        "municipalities",
        Prefetch("locations", queryset=locations),
    )
    attendance = Attendance.objects.select_related("municipality").order_by("position", "pk")
    return Meeting.objects.select_related("body", "minutes_approved_at__body").prefetch_related(
        Prefetch("agenda_items", queryset=items),
        Prefetch("attendance", queryset=attendance),
        Prefetch("corrections", queryset=corrections()),
        Prefetch("attachments", queryset=attachments()),
    )


def attachments():
    """Attachments in pack order, with their versions (whether there is a file to fetch)."""
    return Attachment.objects.order_by("position", "pk").prefetch_related("versions")


def corrections():
    """Corrections of adopted minutes, in the order they were recorded."""
    return MinutesCorrection.objects.select_related("recorded_at__body", "item").order_by(
        "recorded_at__date", "created_at", "pk"
    )


def meeting_entries(meeting: Meeting, *, kinds: tuple[str, ...] = ("B", "A")) -> EntryQuerySet:
    """The decision and action list of one meeting, in the order of the minutes."""
    return (
        Entry.objects.filter(item__meeting=meeting, kind__in=kinds)
        .with_context()
        .in_minutes_order()
    )


def actions_register(*, region: SafetyRegion | None) -> EntryQuerySet:
    """Every action of the meetings of the region's bodies and its province's (the region's
    dashboard) once, at the latest meeting it was carried to; soonest due date first. No
    region, no actions."""
    return _in_register_order(Entry.objects.for_region(region))


def actions_read_by(*, user) -> EntryQuerySet:
    """As `actions_register`, for the meetings `user` reads: the action pages, their exports
    and the API."""
    return _in_register_order(Entry.objects.visible_to(user))


def _in_register_order(entries: EntryQuerySet) -> EntryQuerySet:
    return (
        entries.actions()
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


def meeting_attachments(meeting: Meeting):
    """The whole pack of one meeting: its own attachments first, then the agenda items'."""
    return (
        Attachment.objects.filter(Q(meeting=meeting) | Q(item__meeting=meeting))
        .select_related("item")
        .prefetch_related("versions")
        .order_by(F("item__position").asc(nulls_first=True), "item__pk", "position", "pk")
    )
