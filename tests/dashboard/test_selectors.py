"""`twente.dashboard.selectors`: the dashboard's composed figures."""

import datetime

from capacity.choices import LocationStatus, TargetGroup
from meetings.models import ActionStatus
from tests.allocation.factories import assignment_with_shares
from tests.dashboard.factories import (
    adopted_task,
    days_ago,
    location_with_reports,
    snapshots_recompute,
    today,
)
from tests.meetings.factories import ActionFactory
from twente.dashboard.selectors import (
    DEFAULT_SORT,
    chart_data,
    clean_sort,
    dashboard_build,
    map_locations,
    occupancy_trend,
    regional_picture,
)


def _names(picture) -> list[str]:
    return [row.name for row in picture.municipalities]


def test_a_municipality_whose_last_report_is_too_old_is_flagged_stale(region, settings):
    settings.STALE_REPORT_DAYS = 14
    location_with_reports("ENS-1", "GM0153", [(days_ago(15), 60, 50)])
    location_with_reports("ALM-1", "GM0141", [(days_ago(14), 60, 50)])
    snapshots_recompute()

    rows = {row.code: row for row in regional_picture(region=region, on=today()).municipalities}

    assert rows["GM0153"].stale is True
    assert rows["GM0141"].stale is False
    assert rows["GM0147"].stale is False  # Borne has no locations: nothing to report
    assert rows["GM0147"].municipality.last_report_date is None


def test_the_stale_limit_comes_from_the_settings(region, settings):
    location_with_reports("ENS-1", "GM0153", [(days_ago(15), 60, 50)])
    snapshots_recompute()
    settings.STALE_REPORT_DAYS = 30

    rows = {row.code: row for row in regional_picture(region=region, on=today()).municipalities}

    assert rows["GM0153"].stale is False


def test_municipalities_sort_by_a_figure_with_empty_values_last(region):
    adopted_task(code="asylum", total=1944, deadline=today())
    location_with_reports("ENS-1", "GM0153", [(days_ago(1), 600, 500)])  # surplus in Enschede
    location_with_reports("ALM-1", "GM0141", [(days_ago(1), 10, 5)])
    snapshots_recompute()

    by_gap = regional_picture(region=region, on=today(), sort="-asylum_gap")
    gaps = [row.municipality.group("asylum").gap for row in by_gap.municipalities]
    assert gaps == sorted(gaps, reverse=True)
    assert _names(by_gap)[-1] == "Enschede"

    by_rate = regional_picture(region=region, on=today(), sort="asylum_rate")
    assert _names(by_rate)[:2] == ["Almelo", "Enschede"]  # 50% then 83%; the rest have none
    assert _names(by_rate)[2:] == sorted(_names(by_rate)[2:])


def test_municipalities_sort_by_population_and_by_name(region):
    largest_first = regional_picture(region=region, on=today(), sort="-population")
    assert _names(largest_first)[:2] == ["Enschede", "Hengelo"]
    assert _names(largest_first)[-1] == "Tubbergen"

    by_name = regional_picture(region=region, on=today(), sort="-name")
    assert _names(by_name)[0] == "Wierden"


def test_an_unknown_sort_falls_back_to_the_name():
    assert clean_sort("population; DROP TABLE") == DEFAULT_SORT
    assert clean_sort("--name") == DEFAULT_SORT
    assert clean_sort("-ukraine_gap") == "-ukraine_gap"
    assert clean_sort(None) == "name"


def test_the_trend_gives_each_week_the_figures_valid_at_its_end(region):
    location_with_reports(
        "ENS-1",
        "GM0153",
        [(days_ago(21), 100, 50), (days_ago(8), 100, 90), (days_ago(1), 200, 150)],
    )
    location_with_reports(
        "UKR-1", "GM0141", [(days_ago(15), 40, 40)], target_group=TargetGroup.UKRAINE
    )
    snapshots_recompute()

    trend = occupancy_trend(region_code="VR05", end=today(), weeks=4)

    assert [point.week_end for point in trend] == [days_ago(21), days_ago(14), days_ago(7), today()]
    asylum = [point.groups[0] for point in trend]
    assert [(f.operational, f.occupied) for f in asylum] == [
        (100, 50),
        (100, 50),
        (100, 90),
        (200, 150),
    ]
    ukraine = [point.groups[2] for point in trend]
    assert [f.operational for f in ukraine] == [0, 40, 40, 40]
    assert ukraine[0].rate is None and ukraine[1].rate == 1


def test_the_trend_is_one_query_whatever_the_number_of_reports(region, django_assert_num_queries):
    for n in range(10):
        location_with_reports(
            f"LOC-{n}", "GM0153", [(days_ago(7 * week + n), 60, 30 + week) for week in range(26)]
        )
    snapshots_recompute()

    with django_assert_num_queries(1):
        trend = occupancy_trend(region_code="VR05", end=today())
    assert len(trend) == 26 and trend[-1].groups[0].operational == 600


def test_the_map_shows_counted_and_upcoming_locations_with_coordinates(region):
    coords = {"latitude": "52.22150", "longitude": "6.89370"}
    location_with_reports("OPEN", "GM0153", [(days_ago(3), 60, 55)], **coords)
    location_with_reports(
        "PLANNED", "GM0153", [], status=LocationStatus.PLANNED, planned_capacity=150, **coords
    )
    location_with_reports("NO-COORDS", "GM0153", [(days_ago(3), 60, 55)])
    location_with_reports(
        "ENDED", "GM0153", [(days_ago(90), 60, 55)], contract_end=days_ago(30), **coords
    )
    location_with_reports(
        "CLOSED", "GM0153", [], status=LocationStatus.CLOSED, contract_end=days_ago(30), **coords
    )

    locations = {row["code"]: row for row in map_locations(region_code="VR05", on=today())}

    assert set(locations) == {"OPEN", "PLANNED"}
    assert locations["OPEN"]["places"] == 60 and locations["OPEN"]["occupied"] == 55
    assert locations["OPEN"]["upcoming"] is False
    assert locations["PLANNED"]["places"] == 150 and locations["PLANNED"]["upcoming"] is True
    assert locations["OPEN"]["lat"] == 52.2215 and locations["OPEN"]["municipality"] == "Enschede"


def test_open_actions_are_split_into_overdue_and_the_next_30_days(region):
    ActionFactory(text="Te laat", due_date=days_ago(1))
    ActionFactory(text="Binnenkort", due_date=today() + datetime.timedelta(days=30))
    ActionFactory(text="Later", due_date=today() + datetime.timedelta(days=31))
    ActionFactory(text="Gedaan", due_date=days_ago(5), status=ActionStatus.DONE)
    ActionFactory(text="Zonder deadline", due_date=None)

    dashboard = dashboard_build(region=region, on=today(), today=today())

    assert [a.text for a in dashboard.actions_overdue] == ["Te laat"]
    assert [a.text for a in dashboard.actions_upcoming] == ["Binnenkort"]


def test_actions_are_relative_to_today_even_for_an_earlier_date(region):
    ActionFactory(text="Te laat", due_date=days_ago(1))

    dashboard = dashboard_build(region=region, on=days_ago(100), today=today())

    assert [a.text for a in dashboard.actions_overdue] == ["Te laat"]


def test_task_deadlines_of_the_next_90_days_are_listed(region):
    adopted_task(code="soon", deadline=today() + datetime.timedelta(days=90))
    adopted_task(code="far", deadline=today() + datetime.timedelta(days=91))
    adopted_task(code="past", deadline=days_ago(1))
    assignment_with_shares(code="draft", deadline=today() + datetime.timedelta(days=10))

    dashboard = dashboard_build(region=region, on=today(), today=today())

    assert [task.code for task in dashboard.deadlines] == ["soon"]


def test_the_chart_data_has_a_value_per_week_and_month_for_every_group(region):
    location_with_reports("ENS-1", "GM0153", [(days_ago(1), 100, 88)])
    snapshots_recompute()

    charts = chart_data(dashboard_build(region=region, on=today(), today=today()))

    assert [group["key"] for group in charts["groups"]] == TargetGroup.values
    assert len(charts["trend"]["labels"]) == 26
    assert charts["trend"]["series"]["asylum"][-1] == 88.0
    assert charts["trend"]["series"]["ukraine"][-1] is None
    assert len(charts["outlook"]["labels"]) == 12
    assert charts["outlook"]["series"]["asylum"][0] == 100
    assert charts["thresholds"]["asylum"] == [92.0, 95.0]
