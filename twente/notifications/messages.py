"""The e-mails themselves: subject, plain text and HTML, composed when they are sent.

Composed from fresh figures at sending time, not at selection time: a reminder for a count
that arrived in the meantime is not sent (`compose` returns None), and a retried message says
what is true when it goes out. Every message is in the recipient's language (Dutch unless
they chose English) and carries a link into the app and one to their notification settings.
Each builder checks again that the recipient may read what the message is about: their own
municipality, their own region, an action of a table they sit at.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from capacity.choices import TargetGroup
from capacity.figures import LEVEL_OK, LEVEL_TIPPING_POINT, LEVEL_WARNING
from capacity.models import Location
from capacity.selectors import (
    flagged_reports,
    occupancy_by_target_group,
    reporting_status,
    thresholds_by_target_group,
    unreported_locations,
    week_start_of,
)
from meetings.models import Entry
from meetings.selectors import actions_read_by
from municipalities.models import Role

from .models import NotificationKind, NotificationLog
from .selection import action_readable_by, primed, settings_of

# How far ahead the digest looks for actions, and how many rows each of its lists shows.
DIGEST_ACTIONS_AHEAD = datetime.timedelta(days=14)
DIGEST_LIST_LIMIT = 25
LEVEL_RANK = {LEVEL_OK: 0, LEVEL_WARNING: 1, LEVEL_TIPPING_POINT: 2}


@dataclass
class Message:
    subject: str
    text: str
    html: str
    details: dict = field(default_factory=dict)


def absolute(path: str, **query) -> str:
    """An address in the app for an e-mail (SITE_URL: a worker has no request to ask)."""
    url = settings.SITE_URL + path
    return f"{url}?{urlencode(query)}" if query else url


def percent(fraction) -> str:
    """0.9345 as "93,5%" (Dutch) or "93.5%" (English)."""
    if fraction is None:
        return "–"
    return f"{floatformat(fraction * 100, 1)}%"  # as the dashboard shows a rate


def group_label(target_group: str) -> str:
    return _(TargetGroup(target_group).label)


def _render(kind: str, subject: str, context: dict) -> tuple[str, str]:
    context = {
        **context,
        "subject": subject,
        "settings_url": absolute(reverse("notifications:settings")),
        "site_url": absolute(reverse("home")),
    }
    text = render_to_string(f"notifications/email/{kind}.txt", context)
    html = render_to_string(f"notifications/email/{kind}.html", context)
    return text, html


def _greeting_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _day(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


# The four kinds ------------------------------------------------------------------------------


def report_reminder(log: NotificationLog, user, today: datetime.date) -> Message | None:
    membership = user._membership
    if (
        Role.PROJECT_LEADER not in user._role_names
        or membership is None
        or membership.municipality_id != log.municipality_id
    ):
        return None
    municipality = membership.municipality
    week_start = datetime.date.fromisoformat(log.details["week"])
    locations = list(
        unreported_locations(week_start=week_start, municipality_ids=[municipality.pk])
    )
    if not locations:
        return None
    round_ = log.details.get("round", 1)
    values = {"municipality": municipality.name, "week": week_start.isocalendar()[1]}
    if round_ == 1:
        subject = _("Herinnering: weektelling %(municipality)s, week %(week)s") % values
    else:
        subject = _("Tweede herinnering: weektelling %(municipality)s, week %(week)s") % values
    context = {
        "name": _greeting_name(user),
        "municipality": municipality,
        "locations": locations,
        "week_start": _day(week_start),
        "week_end": _day(week_start + datetime.timedelta(days=6)),
        "second": round_ != 1,
        "grid_url": absolute(reverse("capacity:weekly-counts"), municipality=municipality.code),
    }
    text, html = _render(log.kind, subject, context)
    return Message(subject, text, html, {"locations": [location.code for location in locations]})


def region_digest_context(*, user, region, today: datetime.date) -> dict:
    """What the coordinator's weekly digest lists, all of their own region (and, for the
    actions, of the tables they read). A fixed number of queries."""
    week_start = week_start_of(today)
    missing = [
        row
        for row in reporting_status(week_start=week_start, region_code=region.code)
        if row["locations"] and not row["complete"]
    ]
    thresholds = thresholds_by_target_group()
    groups = [
        {
            "target_group": row.target_group,
            "label": group_label(row.target_group),
            "rate_text": percent(row.rate),
            "threshold_text": percent(
                thresholds[row.target_group][1 if row.level == LEVEL_TIPPING_POINT else 0]
            ),
            "tipping_point": row.level == LEVEL_TIPPING_POINT,
        }
        for row in occupancy_by_target_group(on=today, region_code=region.code)
        if row.level != LEVEL_OK
    ]
    in_30 = today + datetime.timedelta(days=30)
    ending = list(
        Location.objects.in_region(region.code)
        .reporting_on(today)
        .filter(contract_end__gte=today, contract_end__lte=today + datetime.timedelta(days=90))
        .select_related("municipality")
        .order_by("contract_end", "name")
    )
    actions = list(
        actions_read_by(user=user)
        .open()
        .filter(due_date__isnull=False, due_date__lte=today + DIGEST_ACTIONS_AHEAD)
    )
    for action in actions:
        # One line per action in a list, whatever line breaks the minutes have.
        action.summary = Truncator(" ".join(action.text.split())).chars(120)
    since = week_start - datetime.timedelta(weeks=4)
    flagged = flagged_reports(since=since, region_code=region.code)
    return {
        "region": region,
        "week_start": _day(week_start),
        "week_end": _day(week_start + datetime.timedelta(days=6)),
        "missing": missing,
        "groups": groups,
        "ending_30": _limited([loc for loc in ending if loc.contract_end <= in_30]),
        "ending_90": _limited([loc for loc in ending if loc.contract_end > in_30]),
        "overdue": _limited([a for a in actions if a.due_date < today]),
        "upcoming": _limited([a for a in actions if a.due_date >= today]),
        "flagged": _limited(list(flagged[: DIGEST_LIST_LIMIT + 1]), total=flagged.count()),
        "status_url": absolute(reverse("counts-status"), week=week_start.isoformat()),
        "actions_url": absolute(reverse("meetings:actions")),
        "dashboard_url": absolute(reverse("home"), region=region.code),
    }


def _limited(rows: list, *, total: int | None = None) -> dict:
    total = len(rows) if total is None else total
    return {"rows": rows[:DIGEST_LIST_LIMIT], "more": max(total - DIGEST_LIST_LIMIT, 0)}


def region_digest(log: NotificationLog, user, today: datetime.date) -> Message | None:
    membership = user._membership
    if (
        Role.COORDINATOR not in user._role_names
        or membership is None
        or membership.safety_region_id != log.safety_region_id
    ):
        return None
    region = membership.safety_region
    context = region_digest_context(user=user, region=region, today=today)
    context["name"] = _greeting_name(user)
    week = week_start_of(today).isocalendar()[1]
    subject = _("Weekoverzicht %(region)s, week %(week)s") % {"region": region.name, "week": week}
    text, html = _render(log.kind, subject, context)
    return Message(subject, text, html, {"missing": [row["code"] for row in context["missing"]]})


def action_reminder(log: NotificationLog, user, today: datetime.date) -> Message | None:
    entry = (
        Entry.objects.select_related("item__meeting__body").filter(pk=log.entry_id).first()
        if log.entry_id
        else None
    )
    if (
        entry is None
        or entry.status != "open"
        or entry.owner_user_id != user.pk
        or entry.due_date is None
        or entry.due_date.isoformat() != log.details.get("due_date")
        or not action_readable_by(entry, user)
    ):
        return None
    overdue = log.period.endswith("-overdue")
    values = {"date": _day(entry.due_date), "text": Truncator(entry.text).chars(60)}
    if overdue:
        subject = _("Actie over de deadline (%(date)s): %(text)s") % values
    else:
        subject = _("Actie met deadline %(date)s: %(text)s") % values
    meeting = entry.item.meeting
    context = {
        "name": _greeting_name(user),
        "entry": entry,
        "meeting": meeting,
        "body": meeting.body,
        "due_date": _day(entry.due_date),
        "meeting_date": _day(meeting.date),
        "overdue": overdue,
        "entries_url": absolute(reverse("meetings:entries", args=[meeting.pk])),
        "actions_url": absolute(reverse("meetings:actions")),
    }
    text, html = _render(log.kind, subject, context)
    return Message(subject, text, html)


def threshold_alert(log: NotificationLog, user, today: datetime.date) -> Message | None:
    membership = user._membership
    if (
        Role.COORDINATOR not in user._role_names
        or membership is None
        or membership.safety_region_id != log.safety_region_id
    ):
        return None
    region = membership.safety_region
    group, level = log.details["target_group"], log.details["level"]
    row = next(
        r
        for r in occupancy_by_target_group(on=today, region_code=region.code)
        if r.target_group == group
    )
    if LEVEL_RANK[row.level] < LEVEL_RANK[level]:
        return None  # back under the threshold before the message went out
    warning, tipping_point = thresholds_by_target_group()[group]
    threshold = tipping_point if level == LEVEL_TIPPING_POINT else warning
    values = {
        "group": group_label(group),
        "region": region.name,
        "threshold": percent(threshold),
    }
    subject = _("Bezetting %(group)s in %(region)s boven %(threshold)s") % values
    context = {
        "name": _greeting_name(user),
        "region": region,
        "group": values["group"],
        "rate": percent(row.rate),
        "threshold": values["threshold"],
        "tipping_point": level == LEVEL_TIPPING_POINT,
        "occupied": row.occupied,
        "capacity": row.operational,  # the msgid names it so
        "free": row.free,
        "dashboard_url": absolute(reverse("home"), region=region.code),
    }
    text, html = _render(log.kind, subject, context)
    return Message(subject, text, html, {"rate": str(row.rate)})


BUILDERS = {
    NotificationKind.REPORT_REMINDER: report_reminder,
    NotificationKind.REGION_DIGEST: region_digest,
    NotificationKind.ACTION_REMINDER: action_reminder,
    NotificationKind.THRESHOLD_ALERT: threshold_alert,
}


def compose(log: NotificationLog, *, now: datetime.datetime | None = None) -> Message | None:
    """The message `log` stands for, in its recipient's language; None when there is nothing
    to say any more (the count arrived, the action was done, the role changed, the kind was
    switched off)."""
    user = primed(log.recipient)
    prefs = settings_of(user)
    if not user.is_active or not user.email or not prefs.wants(log.kind):
        return None
    # The day the message was selected for (`send_notifications --date`, or today): a retry
    # later on says what was due then, with the figures as they are now.
    on = log.details.get("on")
    today = (
        datetime.date.fromisoformat(on) if on else timezone.localtime(now or timezone.now()).date()
    )
    with translation.override(prefs.language):
        return BUILDERS[log.kind](log, user, today)
