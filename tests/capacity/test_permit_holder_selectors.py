"""Reads of permit-holder housing: housed within a period (a flow), linked on a date (a stock)."""

import datetime

import pytest

from capacity.housing.selectors import (
    housed_by_municipality,
    housing_by_municipality,
    housing_by_region,
)
from tests.factories import MunicipalityFactory, SafetyRegionFactory

from .permit_holder_factories import PermitHolderReportFactory

D = datetime.date


@pytest.fixture
def world(db):
    twente = SafetyRegionFactory(code="VR05", name="Twente")
    ijsselland = SafetyRegionFactory(code="VR04", name="IJsselland")
    enschede = MunicipalityFactory(code="GM0153", name="Enschede", safety_region=twente)
    hengelo = MunicipalityFactory(code="GM0164", name="Hengelo", safety_region=twente)
    MunicipalityFactory(code="GM0141", name="Almelo", safety_region=twente)
    deventer = MunicipalityFactory(code="GM0150", name="Deventer", safety_region=ijsselland)
    for municipality, day, housed, amv, linked in [
        (enschede, D(2022, 12, 31), 70, 0, 40),  # before the half year
        (enschede, D(2023, 1, 1), 100, 5, 30),
        (enschede, D(2023, 6, 30), 50, 0, 20),
        (enschede, D(2023, 7, 1), 40, 2, 10),  # after it
        (hengelo, D(2023, 3, 1), 8, 1, 3),
        (deventer, D(2023, 2, 1), 60, 0, 9),
    ]:
        PermitHolderReportFactory(
            municipality=municipality, date=day, housed=housed, housed_amv=amv, linked=linked
        )


def test_housed_counts_the_reports_dated_within_the_period_both_ends_included(world):
    assert housed_by_municipality(start=D(2023, 1, 1), end=D(2023, 6, 30), region_code="VR05") == {
        "GM0153": 150,
        "GM0164": 8,
    }


def test_without_a_start_every_report_up_to_the_end_counts(world):
    housed = housed_by_municipality(start=None, end=D(2023, 6, 30), region_code="VR05")
    assert housed["GM0153"] == 220


def test_housing_gives_every_municipality_with_the_pipeline_of_its_latest_report(
    world, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = housing_by_municipality(
            start=D(2023, 1, 1), end=D(2023, 5, 1), on=D(2023, 5, 1), region_code="VR05"
        )
    assert rows == {
        "GM0153": {"housed": 100, "housed_amv": 5, "linked": 30},
        "GM0164": {"housed": 8, "housed_amv": 1, "linked": 3},
        "GM0141": {"housed": 0, "housed_amv": 0, "linked": None},
    }


def test_a_period_not_yet_started_has_nobody_housed(world):
    rows = housing_by_municipality(
        start=D(2023, 7, 1), end=D(2023, 5, 1), on=D(2023, 5, 1), region_code="VR05"
    )
    assert rows["GM0153"] == {"housed": 0, "housed_amv": 0, "linked": 30}


def test_housing_by_region_uses_each_regions_own_period_in_one_query(
    world, django_assert_num_queries
):
    periods = {"VR05": (D(2023, 1, 1), D(2023, 6, 30)), "VR04": (D(2023, 3, 1), D(2023, 6, 30))}
    with django_assert_num_queries(1):
        rows = housing_by_region(periods=periods, on=D(2023, 6, 30))
    # Deventer's report of 1 February falls before IJsselland's period; its pipeline counts.
    assert rows == {"VR05": {"housed": 158, "linked": 23}, "VR04": {"housed": 0, "linked": 9}}
    assert housing_by_region(periods={}, on=D(2023, 6, 30)) == {}
