"""The change history of a location and its reports, as coordinators read it (who, when, what).

django-simple-history keeps a row per save; consecutive rows of one object are compared with
`diff_against`. Three queries whatever the number of changes: the location's history, its
reports' history (both with the user) and the names of municipalities a change refers to.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality

from .models import CapacityReport, Location

ACTIONS = {"+": _("aangemaakt"), "~": _("gewijzigd"), "-": _("verwijderd")}
HIDDEN = ["version", "flag_reason", "reported_by"]


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    subject: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _shown(value, field_name: str, model, municipalities: dict[int, str]) -> str:
    if value is None or value == "":
        return "–"
    if field_name == "municipality":
        return municipalities.get(value, str(value))
    model_field = model._meta.get_field(field_name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return str(value)


def _entries(records, *, model, subject, municipalities) -> list[HistoryEntry]:
    entries = []
    previous_by_object = {}
    for record in records:  # oldest first
        previous = previous_by_object.get(record.id)
        previous_by_object[record.id] = record
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=HIDDEN)
            changes = [
                Change(
                    field=str(model._meta.get_field(change.field).verbose_name),
                    old=_shown(change.old, change.field, model, municipalities),
                    new=_shown(change.new, change.field, model, municipalities),
                )
                for change in delta.changes
            ]
            if not changes:
                continue  # saved without a visible difference (for example re-confirmed)
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else "systeem",
                subject=subject(record),
                action=ACTIONS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def location_history(location: Location, *, limit: int = 200) -> list[HistoryEntry]:
    """Changes of the location and of its reports, newest first (at most `limit` of each)."""
    location_records = list(
        reversed(
            Location.history.filter(id=location.pk)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:limit]
        )
    )
    report_records = list(
        reversed(
            CapacityReport.history.filter(location_id=location.pk)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:limit]
        )
    )
    municipality_ids = {record.municipality_id for record in location_records}
    municipalities = dict(
        Municipality.objects.filter(pk__in=municipality_ids).values_list("pk", "name")
    )
    entries = _entries(
        location_records,
        model=Location,
        subject=lambda record: _("Locatie"),
        municipalities=municipalities,
    ) + _entries(
        report_records,
        model=CapacityReport,
        subject=lambda record: _("Melding %(date)s") % {"date": format(record.date, "%d-%m-%Y")},
        municipalities=municipalities,
    )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)
