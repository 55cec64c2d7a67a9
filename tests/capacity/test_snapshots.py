"""The set-based snapshot rebuild (capacity/snapshots.py) writes exactly the rows of the
day-by-day rebuild it replaced, on generated data with openings, contract ends, closed and
winding-down locations, gaps between reports and same-day corrections, for a full rebuild and
for a rebuild from a date."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capacity.choices import LocationStatus, TargetGroup
from capacity.models import CapacityReport, OccupancySnapshot
from capacity.services import occupancy_recompute
from tests.factories import MunicipalityFactory

from .day_by_day_rebuild import rebuild_day_by_day
from .factories import CapacityReportFactory, LocationFactory
from .test_recompute import snapshot_rows

START = datetime.date(2023, 1, 2)


def day(n: int) -> datetime.date:
    return START + datetime.timedelta(days=n)


def both_ways(ids, from_date=None):
    """The rows of the old and the new rebuild, each from the same starting rows."""
    before = list(OccupancySnapshot.objects.filter(municipality_id__in=ids).values())
    rebuild_day_by_day(municipality_ids=ids, from_date=from_date)
    old = snapshot_rows(ids)
    OccupancySnapshot.objects.filter(municipality_id__in=ids).delete()
    OccupancySnapshot.objects.bulk_create(OccupancySnapshot(**row) for row in before)
    written = occupancy_recompute(municipality_ids=ids, from_date=from_date)
    new = snapshot_rows(ids)
    return old, new, written


location_plan = st.fixed_dictionaries(
    {
        "municipality": st.integers(0, 1),
        "group": st.sampled_from(TargetGroup.values),
        "status": st.sampled_from(LocationStatus.values),
        "opened_on": st.one_of(st.none(), st.integers(0, 40)),
        "contract_end": st.one_of(st.none(), st.integers(0, 60)),
        # (day, capacity, occupied); a repeated day is a same-day correction.
        "reports": st.lists(
            st.tuples(st.integers(0, 60), st.integers(0, 80), st.integers(0, 80)), max_size=6
        ),
    }
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plans=st.lists(location_plan, min_size=1, max_size=6),
    from_day=st.integers(0, 65),
    later=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 70), st.integers(0, 80))),
)
def test_the_set_based_rebuild_writes_the_rows_of_the_day_by_day_rebuild(plans, from_day, later):
    OccupancySnapshot.objects.all().delete()
    CapacityReport.objects.all().delete()
    municipalities = [
        MunicipalityFactory(code="GM9901", name="Een"),
        MunicipalityFactory(code="GM9902", name="Twee"),
    ]
    ids = [m.pk for m in municipalities]
    locations = []
    for n, plan in enumerate(plans):
        opened_on, contract_end = plan["opened_on"], plan["contract_end"]
        if opened_on is not None and contract_end is not None and contract_end < opened_on:
            # A contract cannot end before the opening (a constraint of the location table).
            opened_on, contract_end = contract_end, opened_on
        location = LocationFactory(
            code=f"SNAP-{n}",
            municipality=municipalities[plan["municipality"]],
            target_group=plan["group"],
            status=plan["status"],
            opened_on=None if opened_on is None else day(opened_on),
            contract_end=None if contract_end is None else day(contract_end),
        )
        locations.append(location)
        for on, capacity, occupied in plan["reports"]:
            _report(location, day(on), capacity, occupied)

    old, new, written = both_ways(ids)
    assert new == old
    assert written == len(new)

    # New and corrected reports arrive; the worker rebuilds from the earliest date touched.
    for index, on, capacity in later:
        location = locations[index % len(locations)]
        _report(location, day(on), capacity, capacity // 2)
    old, new, _ = both_ways(ids, from_date=day(from_day))
    assert new == old


def _report(location, on, capacity, occupied):
    occupied = min(occupied, capacity)
    CapacityReport.objects.filter(location=location, date=on).delete()
    CapacityReportFactory(location=location, date=on, capacity=capacity, occupied=occupied)


@pytest.mark.django_db
def test_a_rebuild_from_a_date_with_nothing_changed_adds_no_rows():
    municipality = MunicipalityFactory(code="GM9903", name="Drie")
    location = LocationFactory(municipality=municipality, contract_end=day(30))
    for n in (0, 7, 14):
        CapacityReportFactory(location=location, date=day(n), capacity=60, occupied=40 + n)
    occupancy_recompute(municipality_ids=[municipality.pk])
    rows = snapshot_rows([municipality.pk])
    assert [row[2] for row in rows] == [day(0), day(7), day(14), day(31)]
    assert rows[-1][4:] == (0, 0, 0, 0, None)

    assert occupancy_recompute(municipality_ids=[municipality.pk], from_date=day(20)) == 1
    assert snapshot_rows([municipality.pk]) == rows


@pytest.mark.django_db
def test_a_rebuild_reads_the_reports_once_whatever_the_number_of_days(django_assert_num_queries):
    municipality = MunicipalityFactory(code="GM9904", name="Vier")
    for n in range(3):
        location = LocationFactory(municipality=municipality, code=f"Q-{n}")
        for week in range(20):
            CapacityReportFactory(location=location, date=day(7 * week + n), capacity=50)
    # The savepoint and its release (the test runs in a transaction), the municipality's row
    # lock, the delete and the one INSERT ... SELECT: not one query per day.
    with django_assert_num_queries(5):
        occupancy_recompute(municipality_ids=[municipality.pk])
    # A row per report date: each moves the latest report date on.
    assert OccupancySnapshot.objects.filter(municipality=municipality).count() == 60
