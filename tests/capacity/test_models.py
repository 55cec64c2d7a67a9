import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from capacity.choices import LocationStatus
from capacity.models import CapacityReport, Location

from .factories import CapacityReportFactory, LocationFactory

DAY = datetime.date(2023, 3, 6)


def messages(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict


def test_it_refuses_occupied_above_capacity_in_dutch(db):
    report = CapacityReport(location=LocationFactory(), date=DAY, capacity=60, occupied=65)
    with pytest.raises(ValidationError) as caught:
        report.full_clean()
    assert messages(caught.value)["occupied"] == [
        "Bezet (65) kan niet hoger zijn dan de capaciteit (60)."
    ]


def test_it_refuses_negative_counts(db):
    report = CapacityReport(location=LocationFactory(), date=DAY, capacity=-1, occupied=-2)
    with pytest.raises(ValidationError) as caught:
        report.full_clean()
    assert messages(caught.value)["capacity"] == ["Een aantal kan niet negatief zijn."]
    assert messages(caught.value)["occupied"] == ["Een aantal kan niet negatief zijn."]


def test_it_refuses_a_future_date(db):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    report = CapacityReport(location=LocationFactory(), date=tomorrow, capacity=10, occupied=5)
    with pytest.raises(ValidationError) as caught:
        report.full_clean()
    assert messages(caught.value)["date"] == ["Een datum in de toekomst kan niet."]


def test_today_is_not_the_future(db):
    CapacityReport(
        location=LocationFactory(), date=timezone.localdate(), capacity=10, occupied=5
    ).full_clean()


def test_reserved_places_must_fit_in_the_free_places(db):
    report = CapacityReport(
        location=LocationFactory(), date=DAY, capacity=60, occupied=57, reserved=4
    )
    with pytest.raises(ValidationError) as caught:
        report.full_clean()
    assert "reserved" in messages(caught.value)
    report.reserved = 3
    report.full_clean()
    assert report.free == 0


@pytest.mark.parametrize(
    ("capacity", "occupied", "reserved"), [(60, 61, 0), (60, 50, 11), (60, 60, 1)]
)
def test_the_database_refuses_impossible_counts_too(db, capacity, occupied, reserved):
    with pytest.raises(IntegrityError), transaction.atomic():
        CapacityReportFactory(capacity=capacity, occupied=occupied, reserved=reserved)


def test_the_database_keeps_one_report_per_location_per_date(db):
    report = CapacityReportFactory(date=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        CapacityReportFactory(location=report.location, date=DAY)


def test_a_location_cannot_end_before_it_opens(db):
    location = LocationFactory.build(
        municipality=LocationFactory().municipality,
        opened_on=datetime.date(2023, 5, 1),
        contract_end=datetime.date(2023, 4, 30),
    )
    with pytest.raises(ValidationError) as caught:
        location.full_clean()
    assert messages(caught.value)["contract_end"] == [
        "De einddatum kan niet voor de openingsdatum liggen."
    ]


def test_a_closed_location_needs_its_closing_date(db):
    location = LocationFactory(status=LocationStatus.OPERATIONAL)
    location.status = LocationStatus.CLOSED
    with pytest.raises(ValidationError) as caught:
        location.full_clean()
    assert "contract_end" in messages(caught.value)


def test_coordinates_come_in_pairs(db):
    location = LocationFactory()
    location.latitude = 52.2
    with pytest.raises(ValidationError):
        location.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.filter(pk=location.pk).update(latitude=52.2)


def test_a_location_code_is_a_plain_identifier(db):
    location = LocationFactory.build(municipality=LocationFactory().municipality, code="CNO ENS/1")
    with pytest.raises(ValidationError) as caught:
        location.full_clean()
    assert "code" in messages(caught.value)
