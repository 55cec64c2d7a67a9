"""The secretary's workflows: create a meeting, carry open actions over, mark actions done,
approve minutes. The admin, the seed loader and the tests all go through these functions."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, Role
from municipalities.roles import has_role

from .models import (
    ActionStatus,
    AgendaItem,
    Attendance,
    Body,
    Entry,
    EntryKind,
    Meeting,
    MeetingStatus,
)
from .permissions import bodies_kept_by

CARRY_OVER_NUMBER = "Acties"
CARRY_OVER_TITLE = "Openstaande acties"


class MeetingError(ValueError):
    """A workflow step that cannot be done as asked; the message is meant for the secretary."""


def user_may_edit_meetings(user) -> bool:
    """Only the secretary (and a superuser) keeps the minutes."""
    return bool(user and user.is_authenticated) and (
        user.is_superuser or has_role(user, Role.SECRETARY)
    )


@transaction.atomic
def meeting_create(
    *,
    body: Body,
    date: datetime.date,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    venue: str = "",
    chair: str = "",
    next_meeting_on: datetime.date | None = None,
) -> Meeting:
    """A new planned meeting, with an attendance row for every municipality when the body
    keeps attendance per municipality."""
    meeting = Meeting(
        body=body,
        date=date,
        start_time=start_time,
        end_time=end_time,
        venue=venue,
        chair=chair,
        next_meeting_on=next_meeting_on,
        status=MeetingStatus.PLANNED,
    )
    meeting.full_clean()
    meeting.save()
    attendance_prefill(meeting=meeting)
    return meeting


def body_municipalities(body: Body):
    """The municipalities that sit at a body: those of its region, or of its province."""
    if body.safety_region_id is not None:
        return Municipality.objects.filter(safety_region_id=body.safety_region_id)
    return Municipality.objects.filter(safety_region__province_id=body.province_id)


@transaction.atomic
def attendance_prefill(*, meeting: Meeting) -> int:
    """Add an attendance row (presence still unknown) for each municipality of the body's
    region (or province) that has none yet. Returns the number of rows added; running it
    again adds nothing."""
    if not meeting.body.municipal_attendance:
        return 0
    present = Attendance.objects.filter(meeting=meeting, municipality__isnull=False).values(
        "municipality"
    )
    missing = body_municipalities(meeting.body).exclude(pk__in=present).order_by("name")
    start = Attendance.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"] or 0
    rows = [
        Attendance(meeting=meeting, municipality=municipality, position=start + n)
        for n, municipality in enumerate(missing, start=1)
    ]
    Attendance.objects.bulk_create(rows)
    return len(rows)


def meeting_next(*, meeting: Meeting) -> Meeting | None:
    """The next meeting of the same body, by date."""
    return (
        Meeting.objects.filter(body=meeting.body_id, date__gt=meeting.date).order_by("date").first()
    )


@transaction.atomic
def actions_carry_over(*, from_meeting: Meeting, to_meeting: Meeting | None = None) -> list[Entry]:
    """Copy the open actions of `from_meeting` into an agenda item "Openstaande acties" of
    `to_meeting` (default: the next meeting of the same body). Each copy points back to its
    original through `carried_from`. An action that was carried over before is skipped, so
    running this twice copies nothing the second time. Returns the new copies."""
    # One carry-over per meeting at a time, so two clicks cannot both copy the same actions.
    from_meeting = (
        Meeting.objects.select_for_update().select_related("body").get(pk=from_meeting.pk)
    )
    to_meeting = to_meeting or meeting_next(meeting=from_meeting)
    if to_meeting is None:
        raise MeetingError(
            _("Er is nog geen volgend overleg van %(code)s na %(date)s; maak dat eerst aan.")
            % {"code": from_meeting.body.code, "date": format(from_meeting.date, "%d-%m-%Y")}
        )
    if to_meeting.date <= from_meeting.date:
        raise MeetingError(_("Acties worden overgenomen naar een later overleg."))
    originals = list(
        Entry.objects.open()
        .current()
        .filter(item__meeting=from_meeting)
        .select_related("item")
        .order_by("item__position", "item__pk", "position", "pk")
    )
    if not originals:
        return []
    item = AgendaItem.objects.filter(meeting=to_meeting, number=CARRY_OVER_NUMBER).first()
    if item is None:
        last = to_meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
        item = AgendaItem(
            meeting=to_meeting,
            number=CARRY_OVER_NUMBER,
            heading=CARRY_OVER_TITLE,
            title=CARRY_OVER_TITLE,
            position=last + 1,
        )
        item.full_clean()
        item.save()
    start = item.entries.aggregate(last=Max("position"))["last"] or 0
    copies = [
        Entry(
            item=item,
            position=start + n,
            kind=EntryKind.ACTION,
            text=original.text,
            explanation=original.explanation,
            owner=original.owner,
            owner_user_id=original.owner_user_id,
            owner_municipality_id=original.owner_municipality_id,
            due_date=original.due_date,
            status=ActionStatus.OPEN,
            carried_from=original,
            # The copy sits under "Openstaande acties": it names its portfolio itself.
            portfolio_id=original.portfolio_id or original.item.portfolio_id,
        )
        for n, original in enumerate(originals, start=1)
    ]
    for copy in copies:
        copy.full_clean()
    return Entry.objects.bulk_create(copies)


def _chain_ids(entry_ids: set[int]) -> set[int]:
    """The entries and every earlier and later copy of them (carried over between meetings)."""
    chain = set(entry_ids)
    frontier = set(entry_ids)
    while frontier:
        earlier = set(
            Entry.objects.filter(pk__in=frontier, carried_from__isnull=False).values_list(
                "carried_from", flat=True
            )
        )
        later = set(Entry.objects.filter(carried_from__in=frontier).values_list("pk", flat=True))
        frontier = (earlier | later) - chain
        chain |= frontier
    return chain


@transaction.atomic
def action_mark_done(
    *,
    entries: Iterable[Entry],
    meeting: Meeting | None = None,
    user,
    on: datetime.date | None = None,
) -> int:
    """Mark actions done, optionally naming the meeting where they were closed. Copies made by
    carrying an action over are the same action, so they are closed together. Entries that are
    not actions are refused. Returns the number of actions closed now."""
    if not user_may_edit_meetings(user):
        raise PermissionDenied(_("Alleen de secretaris kan acties afmelden."))
    ids = {entry.pk for entry in entries}
    if (
        Entry.objects.filter(pk__in=ids)
        .exclude(item__meeting__body__in=bodies_kept_by(user))
        .exists()
    ):
        raise PermissionDenied(
            _("U kunt alleen acties van overleggen van uw eigen regio afmelden.")
        )
    if Entry.objects.filter(pk__in=ids).exclude(kind=EntryKind.ACTION).exists():
        raise MeetingError(_("Alleen acties kunnen worden afgemeld, geen besluiten of knelpunten."))
    return Entry.objects.filter(pk__in=_chain_ids(ids), status=ActionStatus.OPEN).update(
        status=ActionStatus.DONE,
        done_on=on or timezone.localdate(),
        done_by=user,
        closed_at_meeting=meeting,
    )


@transaction.atomic
def minutes_approve(*, meeting: Meeting, approved_at: Meeting) -> Meeting:
    """Record that the minutes of `meeting` were approved ("vastgesteld") in `approved_at`.
    From then on the minutes are locked (Meeting.minutes_locked): their items, entries and
    attendance refuse changes, and approving them again in another meeting is refused too;
    a correction goes through MinutesCorrection at a later meeting."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.PLANNED:
        raise MeetingError(
            _("%(meeting)s is nog niet gehouden; er is nog geen verslag om vast te stellen.")
            % {"meeting": meeting}
        )
    if (
        meeting.status == MeetingStatus.APPROVED
        and meeting.minutes_approved_at_id == approved_at.pk
    ):
        return meeting
    meeting.status = MeetingStatus.APPROVED
    meeting.minutes_approved_at = approved_at
    meeting.full_clean()
    meeting.save(update_fields=["status", "minutes_approved_at"])
    return meeting


@transaction.atomic
def meetings_mark_held(*, before: datetime.date) -> list[str]:
    """Move planned meetings dated before `before` to held ("gehouden"); returns their names
    (e.g. "TRA 24-01-2024"). The nightly job calls it: a meeting whose day has passed took
    place, and its page then shows it as minutes rather than an agenda. Only planned rows are
    touched, so running it again changes nothing."""
    due = (
        Meeting.objects.select_for_update(of=("self",))
        .filter(status=MeetingStatus.PLANNED, date__lt=before)
        .select_related("body")
        .order_by("date", "body__code")
    )
    meetings = list(due)
    Meeting.objects.filter(pk__in=[meeting.pk for meeting in meetings]).update(
        status=MeetingStatus.HELD
    )
    return [str(meeting) for meeting in meetings]
