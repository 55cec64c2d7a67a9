"""`twente.overview.overview_as_of`: the figures the dashboard and the API share."""

from decimal import Decimal

from allocation.services import exchange_create
from capacity.choices import LocationStatus, TargetGroup
from capacity.figures import FigureSet
from municipalities.models import Municipality
from tests.dashboard.factories import (
    adopted_task,
    days_ago,
    location_with_reports,
    snapshots_recompute,
    today,
)
from twente.overview import overview_as_of


def test_figures_are_the_latest_report_on_or_before_the_date(region):
    location_with_reports(
        "ENS-1", "GM0153", [(days_ago(30), 100, 80), (days_ago(10), 120, 90), (today(), 150, 150)]
    )
    location_with_reports("ALM-1", "GM0141", [(days_ago(20), 50, 40)])
    snapshots_recompute()

    overview = overview_as_of(region=region, on=days_ago(10))

    asylum = overview.group(TargetGroup.ASYLUM)
    assert (asylum.operational, asylum.occupied) == (170, 130)
    enschede = next(m for m in overview.municipalities if m.code == "GM0153")
    assert enschede.group("asylum").operational == 120
    assert enschede.group("asylum").last_report_date == days_ago(10)
    assert len(overview.municipalities) == 14


def test_a_location_past_its_contract_end_no_longer_counts(region):
    location_with_reports("CNO-1", "GM0153", [(days_ago(60), 40, 38)], contract_end=days_ago(31))
    location_with_reports("AZC-1", "GM0153", [(days_ago(60), 250, 200)])
    snapshots_recompute()

    assert overview_as_of(region=region, on=days_ago(40)).group("asylum").operational == 290
    assert overview_as_of(region=region, on=days_ago(30)).group("asylum").operational == 250


def test_required_is_the_active_tasks_effective_total_and_shares(region):
    task = adopted_task(code="asylum-2024", total=2164, deadline=today())
    adopted_task(code="asylum-old", total=1944, deadline=days_ago(400))
    enschede = Municipality.objects.get(code="GM0153")
    almelo = Municipality.objects.get(code="GM0141")
    computed = {
        s.municipality.code: s.computed_share for s in task.shares.select_related("municipality")
    }
    exchange_create(
        from_municipality=enschede,
        from_assignment=task,
        to_municipality=almelo,
        places=20,
        reason="Almelo neemt over",
        date=today(),
    )

    overview = overview_as_of(region=region, on=days_ago(1))

    assert overview.tasks["asylum"].code == "asylum-2024"
    assert overview.group("asylum").required == 2164
    by_code = {m.code: m.group("asylum").required for m in overview.municipalities}
    assert by_code["GM0153"] == computed["GM0153"] - 20
    assert by_code["GM0141"] == computed["GM0141"] + 20
    assert sum(by_code.values()) == 2164


def test_gap_is_required_minus_operational_and_negative_for_a_surplus(region):
    adopted_task(code="asylum", total=100, deadline=today())
    location_with_reports("ENS-1", "GM0153", [(days_ago(1), 400, 300)])
    snapshots_recompute()

    overview = overview_as_of(region=region, on=today())

    assert overview.group("asylum").gap == 100 - 400
    enschede = next(m for m in overview.municipalities if m.code == "GM0153")
    asylum = enschede.group("asylum")
    assert asylum.gap == asylum.required - 400 < 0


def test_without_an_adopted_task_required_and_gap_are_empty(region):
    location_with_reports(
        "UKR-1", "GM0153", [(days_ago(1), 100, 50)], target_group=TargetGroup.UKRAINE
    )
    snapshots_recompute()

    ukraine = overview_as_of(region=region, on=today()).group("ukraine")

    assert ukraine.required is None and ukraine.gap is None
    assert ukraine.operational == 100


def test_the_rate_rounded_to_two_decimals_rounds_half_up_and_is_empty_without_places():
    assert FigureSet("asylum", operational=2475, occupied=2189).rate_rounded(2) == Decimal("0.88")
    # 0.125 rounds half up
    assert FigureSet("asylum", operational=8, occupied=1).rate_rounded(2) == Decimal("0.13")
    assert FigureSet("asylum", operational=0, occupied=0).rate_rounded(2) is None


def test_planned_locations_are_not_operational(region):
    location_with_reports("AZC-TUB", "GM0183", [], status=LocationStatus.PREPARING)
    snapshots_recompute()

    assert overview_as_of(region=region, on=today()).group("asylum").operational == 0


def test_the_query_count_does_not_grow_with_locations(region, django_assert_num_queries):
    adopted_task(code="asylum", deadline=today())

    def arrange(count: int, offset: int) -> None:
        codes = list(Municipality.objects.values_list("code", flat=True))
        for n in range(count):
            location_with_reports(
                f"LOC-{offset + n}",
                codes[n % len(codes)],
                [(days_ago(7 * week), 60, 40 + week) for week in range(4)],
            )
        snapshots_recompute()

    arrange(5, 0)
    # Active tasks, their shares, thresholds, municipalities with their snapshot rows, places
    # per location type (the last and the thresholds from the read cache once they are read).
    with django_assert_num_queries(5):
        small = overview_as_of(region=region, on=today())
    arrange(55, 100)
    with django_assert_num_queries(5):
        large = overview_as_of(region=region, on=today())
    assert (small.group("asylum").operational, large.group("asylum").operational) == (300, 3600)


def test_a_date_before_any_report_gives_zeros(region):
    location_with_reports("ENS-1", "GM0153", [(days_ago(5), 100, 80)])
    snapshots_recompute()

    asylum = overview_as_of(region=region, on=days_ago(6)).group("asylum")

    assert (asylum.operational, asylum.occupied, asylum.rate) == (0, 0, None)


def test_only_operational_locations_count_by_the_lifecycle_rule(region):
    location_with_reports("AZC-1", "GM0153", [(days_ago(60), 250, 200)])
    location_with_reports("OUT-1", "GM0153", [(days_ago(60), 40, 30)], status="winding_down")
    location_with_reports("PREP-1", "GM0153", [(days_ago(60), 50, 0)], status="preparing")
    location_with_reports("NEW-1", "GM0153", [(days_ago(60), 30, 0)], opened_on=days_ago(20))
    location_with_reports(
        "SHUT-1", "GM0153", [(days_ago(60), 20, 20)], status="closed", contract_end=days_ago(10)
    )
    snapshots_recompute()

    # 30 days ago: AZC and the (later closed) SHUT-1; NEW-1 only opens 20 days ago.
    assert overview_as_of(region=region, on=days_ago(30)).group("asylum").operational == 270
    assert overview_as_of(region=region, on=days_ago(15)).group("asylum").operational == 300
    assert overview_as_of(region=region, on=today()).group("asylum").operational == 280


def test_an_opening_date_change_recomputes_the_past(
    region, eager_celery, django_capture_on_commit_callbacks
):
    from capacity.services import location_update

    location = location_with_reports("AZC-1", "GM0153", [(days_ago(60), 250, 200)])
    snapshots_recompute()
    assert overview_as_of(region=region, on=days_ago(30)).group("asylum").operational == 250

    with django_capture_on_commit_callbacks(execute=True):
        location_update(location=location, user=None, opened_on=days_ago(20))

    assert overview_as_of(region=region, on=days_ago(30)).group("asylum").operational == 0
    assert overview_as_of(region=region, on=days_ago(19)).group("asylum").operational == 250
