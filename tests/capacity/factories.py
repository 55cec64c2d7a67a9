import datetime

import factory

from capacity.choices import LocationStatus, LocationType, ReportSource, TargetGroup
from capacity.models import CapacityReport, Location
from tests.factories import MunicipalityFactory


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"LOC-{n:04d}")
    name = factory.Sequence(lambda n: f"Locatie {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    place = factory.LazyAttribute(lambda obj: obj.municipality.name)
    type = LocationType.CNO
    target_group = TargetGroup.ASYLUM
    status = LocationStatus.OPERATIONAL


class CapacityReportFactory(factory.django.DjangoModelFactory):
    """A report saved directly (no service, no recompute): arrange figures for a test."""

    class Meta:
        model = CapacityReport

    location = factory.SubFactory(LocationFactory)
    date = datetime.date(2022, 12, 1)
    capacity = 60
    occupied = 50
    reserved = 0
    source = ReportSource.SEED
