"""The one lifecycle rule: what state a location is in on a date.

A location's stored `status` says what it is now; its `opened_on` and `contract_end` say when.
Every page, export, API resource, the weekly grid, the reporting status, the matching, the
outlook and the occupancy snapshots read a location's state on a date from here, so they all
tell the same story on every day without anyone touching the data. The rule, in order:

1. After its contract end a location is `closed` when it was closed, else `contract_ended`
   (it is no longer counted, asked for reports or matched, whatever its stored status says).
2. Before its opening date it is `planned` or `preparing` (a location now operational was
   still being prepared then, as AZC Albergen was in December 2022), and as such asked for
   its counts like any location in preparation.
3. A closed location was running until its closing day (`contract_end`), so on and before
   that day it counts as `operational`: closing it later does not rewrite the past.
4. Otherwise the stored status holds. A planned location whose opening date has passed stays
   planned until someone says it opened: places are only counted once they are real.

Only `operational` places count as operational places (the overview, the dashboard, the tasks'
realisation): a location winding down takes no new people and its places are on their way out.

`effective_status` (Python, for one location) and `effective_status_expression` (SQL, for a
queryset) implement the same rule; tests hold them to each other.
"""

import datetime

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import LocationStatus


class EffectiveStatus(models.TextChoices):
    PLANNED = LocationStatus.PLANNED.value, LocationStatus.PLANNED.label
    PREPARING = LocationStatus.PREPARING.value, LocationStatus.PREPARING.label
    OPERATIONAL = LocationStatus.OPERATIONAL.value, LocationStatus.OPERATIONAL.label
    WINDING_DOWN = LocationStatus.WINDING_DOWN.value, LocationStatus.WINDING_DOWN.label
    CLOSED = LocationStatus.CLOSED.value, LocationStatus.CLOSED.label
    CONTRACT_ENDED = "contract_ended", gettext_lazy("Contract verlopen")


# The states in which a location is asked for its weekly counts.
REPORTING = (
    EffectiveStatus.PREPARING,
    EffectiveStatus.OPERATIONAL,
    EffectiveStatus.WINDING_DOWN,
)
# The states of a location that is yet to open (the outlook projects these forward).
UPCOMING = (EffectiveStatus.PLANNED, EffectiveStatus.PREPARING)


def effective_status(
    *,
    status: str,
    opened_on: datetime.date | None,
    contract_end: datetime.date | None,
    on: datetime.date,
) -> str:
    """The state of a location with these stored fields on `on` (an EffectiveStatus value)."""
    if contract_end is not None and on > contract_end:
        return (
            EffectiveStatus.CLOSED
            if status == LocationStatus.CLOSED
            else EffectiveStatus.CONTRACT_ENDED
        )
    if opened_on is not None and on < opened_on:
        return status if status in UPCOMING else EffectiveStatus.PREPARING
    if status == LocationStatus.CLOSED:
        return EffectiveStatus.OPERATIONAL
    return status


def location_effective_status(location, on: datetime.date) -> str:
    return effective_status(
        status=location.status,
        opened_on=location.opened_on,
        contract_end=location.contract_end,
        on=on,
    )


def effective_status_expression(on: datetime.date, *, prefix: str = "") -> Case:
    """The rule as one SQL CASE over a location's columns (`prefix` e.g. "locations__" when
    the location is reached through a relation)."""
    status = f"{prefix}status"
    opened_on = f"{prefix}opened_on"
    contract_end = f"{prefix}contract_end"
    upcoming = [value.value for value in UPCOMING]
    return Case(
        When(
            Q(**{f"{contract_end}__lt": on}) & Q(**{status: LocationStatus.CLOSED}),
            then=Value(EffectiveStatus.CLOSED.value),
        ),
        When(Q(**{f"{contract_end}__lt": on}), then=Value(EffectiveStatus.CONTRACT_ENDED.value)),
        When(
            Q(**{f"{opened_on}__gt": on}) & Q(**{f"{status}__in": upcoming}),
            then=F(status),
        ),
        When(Q(**{f"{opened_on}__gt": on}), then=Value(EffectiveStatus.PREPARING.value)),
        When(Q(**{status: LocationStatus.CLOSED}), then=Value(EffectiveStatus.OPERATIONAL.value)),
        default=F(status),
        output_field=models.CharField(max_length=20),
    )


def operational_q(on: datetime.date, *, prefix: str = "") -> Q:
    """Locations that are `operational` on `on`, as a filter (uses the columns' indexes
    better than filtering on the CASE)."""
    opened = Q(**{f"{prefix}opened_on__isnull": True}) | Q(**{f"{prefix}opened_on__lte": on})
    not_ended = Q(**{f"{prefix}contract_end__isnull": True}) | Q(
        **{f"{prefix}contract_end__gte": on}
    )
    running = Q(**{f"{prefix}status__in": [LocationStatus.OPERATIONAL, LocationStatus.CLOSED]})
    return running & opened & not_ended


def reporting_q(on: datetime.date, *, prefix: str = "") -> Q:
    """Locations asked for their counts on `on`: preparing, operational or winding down.

    By the rule that is every location not planned and not past its contract end (a running
    location before its opening date is preparing, a closed one before its closing day
    operational)."""
    not_ended = Q(**{f"{prefix}contract_end__isnull": True}) | Q(
        **{f"{prefix}contract_end__gte": on}
    )
    asked = [
        LocationStatus.PREPARING,
        LocationStatus.OPERATIONAL,
        LocationStatus.WINDING_DOWN,
        LocationStatus.CLOSED,
    ]
    return not_ended & Q(**{f"{prefix}status__in": asked})


def change_dates(*, opened_on: datetime.date | None, contract_end: datetime.date | None):
    """The days on which a location's state can change by the calendar alone."""
    days = []
    if opened_on is not None:
        days.append(opened_on)
    if contract_end is not None:
        days.append(contract_end + datetime.timedelta(days=1))
    return days


def effective_status_text(location, on: datetime.date) -> str:
    """The state on `on` in words for the pages, e.g. "Contract verlopen op 31-07-2023"."""
    state = location_effective_status(location, on)
    if state == EffectiveStatus.CONTRACT_ENDED:
        return _("Contract verlopen op %(date)s") % {"date": _day(location.contract_end)}
    if state == EffectiveStatus.CLOSED:
        return _("Gesloten op %(date)s") % {"date": _day(location.contract_end)}
    if state in UPCOMING and location.opened_on is not None and location.opened_on > on:
        return _("%(state)s, opent op %(date)s") % {
            "state": EffectiveStatus(state).label,
            "date": _day(location.opened_on),
        }
    return str(EffectiveStatus(state).label)


def _day(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")
