import datetime

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capacity.choices import TargetGroup
from capacity.models import CapacityReport, OccupancySnapshot
from capacity.selectors import counted_reports, realised_places, snapshots_as_of
from capacity.services import occupancy_recompute
from capacity.tasks import recompute_occupancy
from tests.factories import MunicipalityFactory

from .factories import CapacityReportFactory, LocationFactory

START = datetime.date(2023, 1, 2)


def day(n: int) -> datetime.date:
    return START + datetime.timedelta(days=n)


def snapshot_rows(municipality_ids):
    return list(
        OccupancySnapshot.objects.filter(municipality_id__in=municipality_ids)
        .order_by("municipality_id", "target_group", "date")
        .values_list(
            "municipality_id",
            "target_group",
            "date",
            "valid_until",
            "locations",
            "capacity",
            "occupied",
            "reserved",
            "last_report_date",
        )
    )


@pytest.fixture
def enschede(db):
    return MunicipalityFactory(code="GM0153", name="Enschede")


def test_the_as_of_figure_uses_each_locations_latest_report_on_or_before_the_date(enschede):
    a = LocationFactory(municipality=enschede)
    b = LocationFactory(municipality=enschede)
    CapacityReportFactory(location=a, date=day(0), capacity=60, occupied=50)
    CapacityReportFactory(location=a, date=day(7), capacity=40, occupied=40)
    CapacityReportFactory(location=b, date=day(3), capacity=10, occupied=5)
    occupancy_recompute(municipality_ids=[enschede.pk])
    key = ("GM0153", TargetGroup.ASYLUM)
    assert realised_places(on=day(-1)) == {}
    assert realised_places(on=day(0)) == {key: 60}
    assert realised_places(on=day(2)) == {key: 60}
    assert realised_places(on=day(3)) == {key: 70}
    assert realised_places(on=day(7)) == {key: 50}
    assert realised_places(on=day(400)) == {key: 50}


def test_a_location_stops_counting_after_its_contract_end(enschede):
    location = LocationFactory(municipality=enschede, contract_end=day(10))
    CapacityReportFactory(location=location, date=day(0), capacity=30, occupied=30)
    occupancy_recompute(municipality_ids=[enschede.pk])
    assert realised_places(on=day(10)) == {("GM0153", TargetGroup.ASYLUM): 30}
    assert realised_places(on=day(11)) == {}


def test_recompute_is_idempotent(enschede):
    location = LocationFactory(municipality=enschede, contract_end=day(30))
    for week in range(4):
        CapacityReportFactory(location=location, date=day(7 * week), occupied=40 + week)
    occupancy_recompute(municipality_ids=[enschede.pk])
    first = snapshot_rows([enschede.pk])
    occupancy_recompute(municipality_ids=[enschede.pk])
    assert snapshot_rows([enschede.pk]) == first
    occupancy_recompute(municipality_ids=[enschede.pk], from_date=day(7))
    occupancy_recompute(municipality_ids=[enschede.pk], from_date=day(7))
    # From a date, the rows equal a full recompute: an unchanged day adds no row.
    assert snapshot_rows([enschede.pk]) == first
    occupancy_recompute(municipality_ids=[enschede.pk], from_date=day(9))
    assert snapshot_rows([enschede.pk]) == first


def test_other_municipalities_are_left_alone(enschede):
    hengelo = MunicipalityFactory(code="GM0164", name="Hengelo")
    CapacityReportFactory(location=LocationFactory(municipality=hengelo), date=day(0))
    occupancy_recompute(municipality_ids=[hengelo.pk])
    before = snapshot_rows([hengelo.pk])
    CapacityReportFactory(location=LocationFactory(municipality=enschede), date=day(0))
    occupancy_recompute(municipality_ids=[enschede.pk])
    assert snapshot_rows([hengelo.pk]) == before


def test_the_task_takes_ids_and_an_iso_date(enschede):
    CapacityReportFactory(location=LocationFactory(municipality=enschede), date=day(0))
    written = recompute_occupancy.delay([enschede.pk], day(0).isoformat()).get()
    assert written == 1  # asylum; the other groups have nothing to say
    assert realised_places(on=day(0)) == {("GM0153", TargetGroup.ASYLUM): 60}


def test_recompute_uses_one_query_per_changed_date(enschede, django_assert_max_num_queries):
    for _ in range(20):
        location = LocationFactory(municipality=enschede)
        for week in range(3):
            CapacityReportFactory(location=location, date=day(7 * week))
    # lock + dates + contract ends + 3 dates + delete + insert (+ savepoint bookkeeping)
    with django_assert_max_num_queries(10):
        occupancy_recompute(municipality_ids=[enschede.pk])


reports_strategy = st.lists(
    st.tuples(
        st.integers(0, 3),  # location index
        st.integers(0, 40),  # day
        st.integers(0, 80),  # capacity
        st.integers(0, 80),  # occupied (clipped to capacity)
    ),
    max_size=25,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    reports=reports_strategy,
    from_day=st.integers(0, 45),
    probe=st.integers(-1, 50),
    ends=st.lists(st.one_of(st.none(), st.integers(0, 45)), min_size=4, max_size=4),
)
@pytest.mark.django_db
def test_snapshots_agree_with_the_reports_whatever_the_history(reports, from_day, probe, ends):
    CapacityReport.objects.all().delete()
    OccupancySnapshot.objects.all().delete()
    municipalities = [
        MunicipalityFactory(code="GM0153", name="Enschede"),
        MunicipalityFactory(code="GM0164", name="Hengelo"),
    ]
    groups = [TargetGroup.ASYLUM, TargetGroup.UKRAINE]
    locations = [
        LocationFactory(
            code=f"P-{n}",
            municipality=municipalities[n % 2],
            target_group=groups[n // 2],
            contract_end=None if ends[n] is None else day(ends[n]),
        )
        for n in range(4)
    ]
    ids = [m.pk for m in municipalities]
    # The first half of the history exists at a first full recompute; the second half
    # arrives later, dated on or after from_day, and a recompute from from_day follows.
    seen = set()
    half = len(reports) // 2
    for index, (n, d, capacity, occupied) in enumerate(reports):
        if index == half:
            occupancy_recompute(municipality_ids=ids)
        d = d if index < half else max(d, from_day)
        if (n, d) in seen:
            continue
        seen.add((n, d))
        CapacityReportFactory(
            location=locations[n], date=day(d), capacity=capacity, occupied=min(occupied, capacity)
        )
    if half == len(reports):
        occupancy_recompute(municipality_ids=ids)
    occupancy_recompute(municipality_ids=ids, from_date=day(from_day))
    on = day(probe)
    expected = {
        (row["location__municipality__code"], row["location__target_group"]): (
            row["capacity"],
            row["occupied"],
        )
        for row in counted_reports(on=on)
        .values("location__municipality__code", "location__target_group")
        .annotate(capacity=Sum("capacity"), occupied=Sum("occupied"))
        .order_by()
    }
    found = {
        (code, group): (capacity, occupied)
        for code, group, capacity, occupied in snapshots_as_of(on=on)
        .filter(locations__gt=0)
        .values_list("municipality__code", "target_group", "capacity", "occupied")
    }
    assert found == expected, (reports, from_day, probe, ends)
