"""What is due at a moment: which user gets which kind of message for which period.

Reads only. The hourly task and `manage.py send_notifications` ask `due_notifications(now)`;
the occupancy alert is not time-driven and is selected by `services.threshold_followup`.
Each function runs a fixed number of queries whatever the number of users or locations.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from capacity.selectors import unreported_locations, week_start_of
from meetings.models import Entry
from meetings.readers import reach_of
from municipalities.models import Membership, Role

from .models import KIND_ROLES, NotificationKind, NotificationLog, NotificationSettings

# Action owners hear about a due date this many days before it, and once when it passed.
ACTION_REMINDER_DAYS = 3
# Daily messages (the action reminders) go with the first run at or after this local time.
ACTION_REMINDER_TIME = datetime.time(9, 0)
# The second reminder for a missing weekly count, this long after the first (same week only).
SECOND_REMINDER_AFTER = datetime.timedelta(days=2)


@dataclass
class Due:
    """One message to send: recipient, kind and period (the log's unique key) and what it is
    about."""

    recipient: object
    kind: str
    period: str
    municipality_id: int | None = None
    safety_region_id: int | None = None
    entry_id: int | None = None
    details: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.recipient.pk, self.kind, self.period)


def iso_week(day: datetime.date) -> str:
    """`2024-W03`: the ISO week of `day`, the period of weekly messages."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def settings_of(user) -> NotificationSettings:
    """The user's choices, or the defaults (unsaved) when they never changed them."""
    try:
        return user.notification_settings
    except NotificationSettings.DoesNotExist:
        return NotificationSettings(user=user)


def kinds_for(user) -> list[str]:
    """The kinds a user's roles get, in the order of `NotificationKind` (the settings page)."""
    from municipalities.roles import roles_of

    roles = roles_of(user)
    return [kind for kind in NotificationKind.values if roles.intersection(KIND_ROLES[kind])]


def recipients(kind: str) -> QuerySet:
    """Active users with an e-mail address and a role that gets `kind`, with their membership
    (region, municipality), choices and roles loaded: one query plus one for the roles."""
    User = get_user_model()
    users = (
        User.objects.filter(is_active=True, groups__name__in=KIND_ROLES[kind])
        .exclude(email="")
        .select_related(
            "membership__safety_region", "membership__municipality", "notification_settings"
        )
        .prefetch_related("groups")
        .distinct()
        .order_by("pk")
    )
    return users


def primed(user):
    """Fill the per-user caches of `municipalities.roles` from what `recipients` loaded, so
    asking a user's roles, region or reach costs no query."""
    user._role_names = frozenset(
        group.name for group in user.groups.all() if group.name in Role.values
    )
    try:
        user._membership = user.membership
    except Membership.DoesNotExist:
        user._membership = None
    return user


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def report_reminder_round(prefs: NotificationSettings, now: datetime.datetime) -> int | None:
    """Which reminder of the week is due at `now`: 1 from the chosen day and time, 2 from two
    days later (only when that is still in the same week), None before the first. When the
    second is due the first is not sent any more: one message per run, never a backlog."""
    local = timezone.localtime(now)
    week_start = week_start_of(local.date())
    first = _at(week_start + datetime.timedelta(days=prefs.reminder_weekday), prefs.reminder_time)
    if local < first:
        return None
    second = first + SECOND_REMINDER_AFTER
    if local >= second and second.date() <= week_start + datetime.timedelta(days=6):
        return 2
    return 1


def due_report_reminders(now: datetime.datetime) -> list[Due]:
    """Project leaders whose municipality has a location without a report this week, once
    their reminder time has come."""
    week_start = week_start_of(timezone.localtime(now).date())
    candidates = []
    for user in recipients(NotificationKind.REPORT_REMINDER):
        primed(user)
        membership = user._membership
        prefs = settings_of(user)
        if membership is None or membership.municipality_id is None:
            continue
        if not prefs.wants(NotificationKind.REPORT_REMINDER):
            continue
        round_ = report_reminder_round(prefs, now)
        if round_ is not None:
            candidates.append((user, membership.municipality_id, round_))
    if not candidates:
        return []
    missing: dict[int, list[str]] = {}
    for location in unreported_locations(
        week_start=week_start, municipality_ids=sorted({mid for _, mid, _ in candidates})
    ):
        missing.setdefault(location.municipality_id, []).append(location.code)
    return [
        Due(
            recipient=user,
            kind=NotificationKind.REPORT_REMINDER,
            period=f"{iso_week(week_start)}-{round_}",
            municipality_id=municipality_id,
            safety_region_id=user._membership.safety_region_id,
            details={
                "on": timezone.localtime(now).date().isoformat(),
                "week": week_start.isoformat(),
                "round": round_,
                "locations": missing[municipality_id],
            },
        )
        for user, municipality_id, round_ in candidates
        if municipality_id in missing
    ]


def due_region_digests(now: datetime.datetime) -> list[Due]:
    """Coordinators whose weekly digest time has come this week."""
    local = timezone.localtime(now)
    week_start = week_start_of(local.date())
    result = []
    for user in recipients(NotificationKind.REGION_DIGEST):
        primed(user)
        prefs = settings_of(user)
        if user._membership is None or not prefs.wants(NotificationKind.REGION_DIGEST):
            continue
        at = _at(week_start + datetime.timedelta(days=prefs.digest_weekday), prefs.digest_time)
        if local >= at:
            result.append(
                Due(
                    recipient=user,
                    kind=NotificationKind.REGION_DIGEST,
                    period=iso_week(week_start),
                    safety_region_id=user._membership.safety_region_id,
                    details={"on": local.date().isoformat(), "week": week_start.isoformat()},
                )
            )
    return result


def action_period(entry: Entry, today: datetime.date) -> str | None:
    """`entry-12-2024-01-19-soon` in the days before the due date, `...-overdue` after it,
    None otherwise. The due date is part of the period: a postponed action is reminded anew."""
    if entry.due_date is None:
        return None
    if entry.due_date < today:
        stage = "overdue"
    elif (entry.due_date - today).days <= ACTION_REMINDER_DAYS:
        stage = "soon"
    else:
        return None
    return f"entry-{entry.pk}-{entry.due_date.isoformat()}-{stage}"


def reminded_actions(today: datetime.date) -> QuerySet:
    """Open actions (the current copy of a carried-over one) with an owner account and a due
    date within the reminder window or past it, with their owners and meetings loaded."""
    return (
        Entry.objects.open()
        .current()
        .filter(
            owner_user__isnull=False,
            owner_user__is_active=True,
            due_date__lte=today + datetime.timedelta(days=ACTION_REMINDER_DAYS),
        )
        .exclude(owner_user__email="")
        .select_related(
            "item__meeting__body",
            "owner_user__membership__safety_region",
            "owner_user__membership__municipality",
            "owner_user__notification_settings",
        )
        .prefetch_related("owner_user__groups")
        .order_by("due_date", "pk")
    )


def action_readable_by(entry: Entry, user) -> bool:
    """The owner reads the action's meeting by the minutes rule (`meetings.readers`)."""
    reach = reach_of(user)
    return not reach.is_empty and reach.includes(entry.item.meeting.body)


def due_action_reminders(now: datetime.datetime) -> list[Due]:
    local = timezone.localtime(now)
    if local.time() < ACTION_REMINDER_TIME:
        return []
    today = local.date()
    result = []
    for entry in reminded_actions(today):
        user = primed(entry.owner_user)
        period = action_period(entry, today)
        if period is None or not settings_of(user).wants(NotificationKind.ACTION_REMINDER):
            continue
        if not user._role_names or not action_readable_by(entry, user):
            continue
        result.append(
            Due(
                recipient=user,
                kind=NotificationKind.ACTION_REMINDER,
                period=period,
                safety_region_id=entry.item.meeting.body.safety_region_id,
                entry_id=entry.pk,
                details={"on": today.isoformat(), "due_date": entry.due_date.isoformat()},
            )
        )
    return result


def not_yet_logged(dues: list[Due]) -> list[Due]:
    """Leave out what the log already holds (sent, failed or on its way): one query."""
    if not dues:
        return []
    logged = set(
        NotificationLog.objects.filter(
            recipient_id__in={due.recipient.pk for due in dues},
            period__in={due.period for due in dues},
        ).values_list("recipient_id", "kind", "period")
    )
    return [due for due in dues if due.key not in logged]


def due_notifications(now: datetime.datetime) -> list[Due]:
    """Everything time-driven that is due at `now` and not sent before."""
    return not_yet_logged(
        due_report_reminders(now) + due_region_digests(now) + due_action_reminders(now)
    )
