import datetime
from decimal import Decimal

import pytest

from capacity.choices import LocationStatus, LocationType, TargetGroup
from capacity.models import OccupancyThreshold
from capacity.selectors import (
    capacity_outlook,
    locations_as_of,
    occupancy_by_location_type,
    occupancy_by_municipality,
    occupancy_by_target_group,
    reporting_status,
    thresholds_by_target_group,
)
from capacity.services import occupancy_recompute
from tests.factories import MunicipalityFactory, SafetyRegionFactory

from .factories import CapacityReportFactory, LocationFactory

DAY = datetime.date(2023, 3, 6)  # a Monday


@pytest.fixture
def region(db):
    enschede = MunicipalityFactory(code="GM0153", name="Enschede")
    hengelo = MunicipalityFactory(code="GM0164", name="Hengelo")
    return enschede, hengelo


def report(location, day=DAY, capacity=60, occupied=50, **extra):
    return CapacityReportFactory(
        location=location, date=day, capacity=capacity, occupied=occupied, **extra
    )


def recompute(*municipalities):
    occupancy_recompute(municipality_ids=[m.pk for m in municipalities])


def test_by_municipality_gives_totals_rate_and_level(region):
    enschede, hengelo = region
    report(LocationFactory(municipality=enschede), capacity=60, occupied=57)
    report(LocationFactory(municipality=enschede), capacity=40, occupied=30, reserved=5)
    report(
        LocationFactory(municipality=hengelo, target_group=TargetGroup.UKRAINE),
        capacity=100,
        occupied=80,
    )
    recompute(enschede, hengelo)
    rows = occupancy_by_municipality(on=DAY)
    assert [(r.key, r.target_group) for r in rows] == [
        ("GM0153", "asylum"),
        ("GM0164", "ukraine"),
    ]
    enschede_row = rows[0]
    assert enschede_row.locations == 2
    assert (enschede_row.operational, enschede_row.occupied, enschede_row.reserved) == (
        100,
        87,
        5,
    )
    assert enschede_row.free == 8
    assert enschede_row.rate == Decimal("0.87")
    assert enschede_row.level == "ok"
    assert enschede_row.last_report_date == DAY


def test_other_regions_are_not_in_the_figures(region):
    deventer = MunicipalityFactory(
        code="GM0150", name="Deventer", safety_region=SafetyRegionFactory(code="VR04")
    )
    report(LocationFactory(municipality=deventer))
    recompute(deventer)
    assert occupancy_by_municipality(on=DAY) == []
    assert [r.key for r in occupancy_by_municipality(on=DAY, region_code="VR04")] == ["GM0150"]


@pytest.mark.parametrize(
    ("occupied", "level"), [(91, "ok"), (92, "warning"), (94, "warning"), (95, "tipping_point")]
)
def test_levels_follow_the_default_thresholds(region, occupied, level):
    enschede, _ = region
    report(LocationFactory(municipality=enschede), capacity=100, occupied=occupied)
    recompute(enschede)
    asylum = occupancy_by_target_group(on=DAY)[0]
    assert asylum.target_group == "asylum"
    assert asylum.level == level


def test_thresholds_are_configurable_per_target_group(region):
    enschede, _ = region
    report(LocationFactory(municipality=enschede), capacity=100, occupied=85)
    recompute(enschede)
    OccupancyThreshold.objects.filter(target_group="asylum").update(
        warning=Decimal("0.80"), tipping_point=Decimal("0.85")
    )
    assert occupancy_by_target_group(on=DAY)[0].level == "tipping_point"


def test_missing_thresholds_fall_back_to_the_seeds_figures(db):
    OccupancyThreshold.objects.all().delete()
    assert thresholds_by_target_group()[TargetGroup.UKRAINE] == (
        Decimal("0.92"),
        Decimal("0.95"),
    )


def test_by_target_group_always_has_the_three_groups(db):
    rows = occupancy_by_target_group(on=DAY)
    assert [r.target_group for r in rows] == ["asylum", "permit_holders", "ukraine"]
    assert all(r.operational == 0 and r.rate is None for r in rows)


def test_region_reads_use_a_constant_number_of_queries(region, django_assert_num_queries):
    enschede, hengelo = region
    for n in range(30):
        location = LocationFactory(municipality=enschede if n % 2 else hengelo)
        report(location)
        report(location, day=DAY - datetime.timedelta(days=7))
    recompute(enschede, hengelo)
    with django_assert_num_queries(2):
        occupancy_by_municipality(on=DAY)
    with django_assert_num_queries(2):
        occupancy_by_target_group(on=DAY)
    with django_assert_num_queries(1):
        list(locations_as_of(on=DAY))
    with django_assert_num_queries(2):
        occupancy_by_location_type(on=DAY)
    with django_assert_num_queries(1):
        capacity_outlook(start=DAY)
    with django_assert_num_queries(1):
        reporting_status(week_start=DAY)


def test_locations_as_of_shows_each_locations_latest_report(region):
    enschede, _ = region
    location = LocationFactory(municipality=enschede, contract_end=DAY)
    report(location, day=DAY - datetime.timedelta(days=7), occupied=40)
    report(location, day=DAY, occupied=45)
    never = LocationFactory(municipality=enschede)
    rows = {row.code: row for row in locations_as_of(on=DAY)}
    assert rows[location.code].report_occupied == 45
    assert rows[location.code].report_free == 15
    assert rows[location.code].counted is True
    assert rows[never.code].report_date is None and rows[never.code].counted is False
    later = {row.code: row for row in locations_as_of(on=DAY + datetime.timedelta(days=1))}
    assert later[location.code].report_occupied == 45 and later[location.code].counted is False


def test_by_location_type(region):
    enschede, hengelo = region
    report(
        LocationFactory(municipality=enschede, type=LocationType.AZC), capacity=250, occupied=238
    )
    report(LocationFactory(municipality=hengelo, type=LocationType.CNO), capacity=30, occupied=29)
    report(LocationFactory(municipality=hengelo, type=LocationType.CNO), capacity=20, occupied=19)
    rows = {row.key: row for row in occupancy_by_location_type(on=DAY)}
    assert rows["azc"].operational == 250
    assert (rows["cno"].locations, rows["cno"].operational, rows["cno"].occupied) == (
        2,
        50,
        48,
    )


def outlook_places(rows, group="asylum"):
    return {row["month"]: row["places"] for row in rows if row["target_group"] == group}


def test_the_outlook_drops_ending_contracts_and_adds_planned_openings(region):
    enschede, hengelo = region
    cno = LocationFactory(municipality=enschede, contract_end=datetime.date(2023, 7, 31))
    report(cno, day=datetime.date(2023, 1, 2), capacity=59, occupied=56)
    azc = LocationFactory(municipality=hengelo, type=LocationType.AZC)
    report(azc, day=datetime.date(2023, 1, 2), capacity=250, occupied=238)
    LocationFactory(
        municipality=hengelo,
        status=LocationStatus.PREPARING,
        opened_on=datetime.date(2023, 9, 15),
        planned_capacity=150,
    )
    LocationFactory(  # planned without a date: not counted
        municipality=hengelo, status=LocationStatus.PLANNED, planned_capacity=99
    )
    LocationFactory(  # closed: not counted
        municipality=hengelo, status=LocationStatus.CLOSED, contract_end=datetime.date(2022, 12, 1)
    )
    rows = capacity_outlook(start=datetime.date(2023, 6, 10), months=12)
    assert len(rows) == 36
    places = outlook_places(rows)
    assert places[datetime.date(2023, 6, 1)] == 309
    assert places[datetime.date(2023, 7, 1)] == 309
    assert places[datetime.date(2023, 8, 1)] == 250
    assert places[datetime.date(2023, 9, 1)] == 250
    assert places[datetime.date(2023, 10, 1)] == 400
    assert places[datetime.date(2024, 5, 1)] == 400
    by_month = {row["month"]: row for row in rows if row["target_group"] == "asylum"}
    assert by_month[datetime.date(2023, 7, 1)]["ending"] == 59
    assert by_month[datetime.date(2023, 9, 1)]["opening"] == 150
    assert outlook_places(rows, "ukraine") == dict.fromkeys(places, 0)


def test_the_outlook_uses_the_latest_report_of_a_preparing_location(region):
    enschede, _ = region
    location = LocationFactory(
        municipality=enschede,
        status=LocationStatus.PREPARING,
        opened_on=datetime.date(2023, 2, 1),
        planned_capacity=150,
    )
    report(location, day=datetime.date(2023, 1, 20), capacity=120, occupied=0)
    places = outlook_places(capacity_outlook(start=datetime.date(2023, 1, 25), months=2))
    assert places == {datetime.date(2023, 1, 1): 0, datetime.date(2023, 2, 1): 120}


def test_reporting_status_counts_reporting_locations_per_municipality(region):
    enschede, hengelo = region
    a = LocationFactory(municipality=enschede)
    b = LocationFactory(municipality=enschede)
    LocationFactory(municipality=enschede, status=LocationStatus.PLANNED)
    report(a, day=DAY + datetime.timedelta(days=2), flagged=True, flag_reason="x")
    report(b, day=DAY - datetime.timedelta(days=1))  # last week
    c = LocationFactory(municipality=hengelo)
    report(c, day=DAY)
    rows = {row["code"]: row for row in reporting_status(week_start=DAY)}
    assert rows["GM0153"]["locations"] == 2
    assert rows["GM0153"]["reported"] == 1
    assert rows["GM0153"]["complete"] is False
    assert rows["GM0153"]["flagged"] == 1
    assert rows["GM0164"]["complete"] is True
