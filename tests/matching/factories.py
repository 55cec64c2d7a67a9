import datetime

import factory
from django.utils import timezone

from capacity.choices import LocationStatus, ReportSource, TargetGroup
from capacity.models import CapacityReport
from matching.choices import Category, Origin
from matching.models import Placement, PlacementRequest
from tests.capacity.factories import LocationFactory
from tests.factories import SafetyRegionFactory


class UkraineLocationFactory(LocationFactory):
    target_group = TargetGroup.UKRAINE
    status = LocationStatus.OPERATIONAL


def location_with_room(*, capacity=60, occupied=50, reserved=0, date=None, **fields):
    """An operational location whose latest report (today by default) has these figures."""
    location = UkraineLocationFactory(**fields)
    CapacityReport.objects.create(
        location=location,
        date=date or timezone.localdate(),
        capacity=capacity,
        occupied=occupied,
        reserved=reserved,
        source=ReportSource.FORM,
    )
    return location


class PlacementRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlacementRequest

    region = factory.SubFactory(SafetyRegionFactory)
    people = 3
    target_group = TargetGroup.UKRAINE
    category = Category.REGULAR
    origin = Origin.MUNICIPAL_DESK


class PlacementFactory(factory.django.DjangoModelFactory):
    """A placement row saved directly (no report change): arrange history for a test."""

    class Meta:
        model = Placement

    location = factory.SubFactory(UkraineLocationFactory)
    people = 2
    target_group = TargetGroup.UKRAINE
    category = Category.REGULAR
    placed_at = factory.LazyFunction(timezone.now)


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)
