"""Arrange figures for the dashboard and the overview: locations with reports, the precomputed
snapshots, adopted tasks. The dashboard has no models of its own; it reads the apps' rows."""

import datetime

from django.utils import timezone

from allocation.services import assignment_adopt
from capacity.choices import LocationStatus, TargetGroup
from capacity.services import occupancy_recompute
from municipalities.models import Municipality
from tests.allocation.factories import assignment_with_shares
from tests.capacity.factories import CapacityReportFactory, LocationFactory


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def location_with_reports(
    code: str,
    municipality: str,
    reports: list[tuple[datetime.date, int, int]],
    *,
    target_group: str = TargetGroup.ASYLUM,
    status: str = LocationStatus.OPERATIONAL,
    **fields,
):
    """A location of municipality `municipality` (CBS code) with (date, capacity, occupied)
    reports saved directly; call `snapshots_recompute()` afterwards, as the worker would."""
    location = LocationFactory(
        code=code,
        municipality=Municipality.objects.get(code=municipality),
        target_group=target_group,
        status=status,
        **fields,
    )
    for date, capacity, occupied in reports:
        CapacityReportFactory(location=location, date=date, capacity=capacity, occupied=occupied)
    return location


def snapshots_recompute() -> None:
    """What the worker does after reports change: rebuild the occupancy snapshots."""
    occupancy_recompute(municipality_ids=Municipality.objects.values_list("pk", flat=True))


def adopted_task(**fields):
    """An adopted task of Twente (VR05), its shares computed by the engine from population."""
    return assignment_adopt(assignment=assignment_with_shares(**fields))
