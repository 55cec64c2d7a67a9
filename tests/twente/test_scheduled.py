"""`twente.scheduled`: the nightly jobs for a date, their idempotence and their catch-up."""

import datetime

import pytest
from django.utils import timezone

from allocation.choices import AssignmentStatus
from allocation.models import Assignment, Share
from capacity.models import OccupancySnapshot
from capacity.selectors import realised_places
from meetings.models import Meeting, MeetingStatus
from municipalities.models import Municipality
from municipalities.services import reference_data_load
from tests.allocation.factories import assignment_with_shares
from tests.capacity.factories import CapacityReportFactory
from tests.dashboard.factories import adopted_task, location_with_reports, snapshots_recompute
from tests.meetings.factories import MeetingFactory
from twente.models import ScheduledRun
from twente.scheduled import ScheduleError, scheduled_catch_up_start, scheduled_run
from twente.seeding import FIXTURES

D = datetime.date


@pytest.fixture
def region(db, eager_celery):
    """Twente's reference data (regions, municipalities, population), no seeds."""
    reference_data_load(directory=FIXTURES)


def _enschede_share(assignment: Assignment) -> Share:
    return assignment.shares.get(municipality__code="GM0153")


def _asylum_places(on: datetime.date) -> int:
    return realised_places(on=on, region_code="VR05").get(("GM0153", "asylum"), 0)


# --- meetings ----------------------------------------------------------------------------------


def test_planned_meetings_before_the_date_become_held(region):
    past = MeetingFactory(date=D(2024, 1, 24), status=MeetingStatus.PLANNED)
    today = MeetingFactory(date=D(2024, 3, 1), status=MeetingStatus.PLANNED)
    later = MeetingFactory(date=D(2024, 4, 1), status=MeetingStatus.PLANNED)
    approved_elsewhere = MeetingFactory(date=D(2023, 12, 1), status=MeetingStatus.HELD)

    result = scheduled_run(on=D(2024, 3, 1))

    statuses = dict(Meeting.objects.values_list("pk", "status"))
    assert statuses[past.pk] == MeetingStatus.HELD
    assert statuses[today.pk] == MeetingStatus.PLANNED  # its day is not over yet
    assert statuses[later.pk] == MeetingStatus.PLANNED
    assert statuses[approved_elsewhere.pk] == MeetingStatus.HELD
    assert result.meetings_held == ["TRA 24-01-2024"]


# --- assignments ------------------------------------------------------------------------------


def test_adopted_assignments_past_their_deadline_are_closed(region):
    passed = adopted_task(code="passed", deadline=D(2024, 1, 1))
    on_the_day = adopted_task(code="on-the-day", deadline=D(2024, 3, 1))
    open_ended = adopted_task(code="open-ended", deadline=None)
    draft = assignment_with_shares(code="draft", deadline=D(2023, 1, 1))

    result = scheduled_run(on=D(2024, 3, 1))

    statuses = dict(Assignment.objects.values_list("code", "status"))
    assert statuses == {
        passed.code: AssignmentStatus.CLOSED,
        on_the_day.code: AssignmentStatus.ADOPTED,  # still active on its deadline
        open_ended.code: AssignmentStatus.ADOPTED,
        draft.code: AssignmentStatus.DRAFT,  # never in force, so nothing to close
    }
    assert result.assignments_closed == ["passed"]
    assert Assignment.objects.get(code="passed").get_status_display() == (
        "Afgesloten (deadline verstreken)"
    )


def test_the_realisation_of_a_closed_assignment_is_its_deadline(region):
    location_with_reports("ENS-1", "GM0153", [(D(2023, 6, 1), 40, 30)])
    location_with_reports("ENS-2", "GM0153", [(D(2024, 2, 1), 25, 20)])
    snapshots_recompute()
    task = adopted_task(code="asylum", deadline=D(2024, 1, 1))

    scheduled_run(on=D(2024, 3, 1))

    task.refresh_from_db()
    assert task.status == AssignmentStatus.CLOSED
    assert task.realised_on == D(2024, 1, 1)
    assert _enschede_share(task).realised == 40  # the place opened after the deadline is not in


# --- occupancy and realisation ----------------------------------------------------------------


def test_realisation_follows_a_contract_that_simply_ends(region):
    location_with_reports(
        "ENS-CNO", "GM0153", [(D(2025, 1, 1), 40, 30)], contract_end=D(2025, 2, 15)
    )
    snapshots_recompute()
    task = adopted_task(code="asylum", deadline=D(2026, 1, 1))

    scheduled_run(on=D(2025, 2, 10))
    assert _enschede_share(task).realised == 40

    scheduled_run(on=D(2025, 2, 20))
    task.refresh_from_db()
    assert _enschede_share(task).realised == 0
    assert task.realised_on == D(2025, 2, 20)
    assert task.status == AssignmentStatus.ADOPTED


def test_snapshots_are_rebuilt_from_the_date(region):
    location = location_with_reports("ENS-1", "GM0153", [(D(2025, 1, 1), 40, 30)])
    snapshots_recompute()
    # A report whose recompute never ran (say Redis was down when it was saved).
    CapacityReportFactory(location=location, date=D(2025, 3, 1), capacity=55, occupied=50)
    assert _asylum_places(D(2025, 3, 2)) == 40

    result = scheduled_run(on=D(2025, 3, 2))

    assert _asylum_places(D(2025, 3, 2)) == 55
    assert result.recompute_from == D(2025, 3, 2)
    assert result.municipalities == 1  # only municipalities with locations or snapshots


# --- idempotence and catch-up -----------------------------------------------------------------


def _state() -> dict:
    snapshots = sorted(
        OccupancySnapshot.objects.values_list(
            "municipality_id", "target_group", "date", "valid_until", "capacity", "occupied"
        )
    )
    shares = sorted(Share.objects.values_list("pk", "realised"))
    return {
        "snapshots": snapshots,
        "shares": shares,
        "assignments": sorted(Assignment.objects.values_list("pk", "status", "realised_on")),
        "meetings": sorted(Meeting.objects.values_list("pk", "status")),
        "runs": list(ScheduledRun.objects.values_list("date", "recompute_from", "summary")),
    }


def test_a_second_run_for_the_same_date_changes_nothing(region):
    location_with_reports("ENS-1", "GM0153", [(D(2023, 6, 1), 40, 30)])
    snapshots_recompute()
    adopted_task(code="passed", deadline=D(2024, 1, 1))
    MeetingFactory(date=D(2024, 1, 24), status=MeetingStatus.PLANNED)

    first = scheduled_run(on=D(2024, 3, 1))
    after_first = _state()
    second = scheduled_run(on=D(2024, 3, 1))

    assert _state() == after_first
    assert (first.repeated, second.repeated) == (False, True)
    assert (second.assignments_closed, second.meetings_held, second.shares_changed) == ([], [], 0)
    assert ScheduledRun.objects.get().summary == first.as_json()


def test_a_run_after_missed_days_rebuilds_them_and_catches_up(region):
    location = location_with_reports("ENS-1", "GM0153", [(D(2025, 1, 1), 40, 30)])
    snapshots_recompute()
    scheduled_run(on=D(2025, 3, 1))
    # Beat is down from 2 to 5 March. Meanwhile a report's recompute is lost, a task's deadline
    # and a meeting's day pass.
    CapacityReportFactory(location=location, date=D(2025, 3, 3), capacity=60, occupied=55)
    adopted_task(code="due-3-march", deadline=D(2025, 3, 3))
    MeetingFactory(date=D(2025, 3, 4), status=MeetingStatus.PLANNED)

    result = scheduled_run(on=D(2025, 3, 6))

    assert result.recompute_from == D(2025, 3, 2)  # the day after the last run
    assert _asylum_places(D(2025, 3, 4)) == 60  # a missed day is right again
    assert result.assignments_closed == ["due-3-march"]
    assert result.meetings_held == ["TRA 04-03-2025"]


def test_the_catch_up_start_is_the_day_after_the_latest_earlier_run(region):
    assert scheduled_catch_up_start(on=D(2025, 3, 6)) == D(2025, 3, 6)  # nothing ran before
    ScheduledRun.objects.create(date=D(2025, 2, 20), recompute_from=D(2025, 2, 20))
    ScheduledRun.objects.create(date=D(2025, 3, 1), recompute_from=D(2025, 2, 21))
    assert scheduled_catch_up_start(on=D(2025, 3, 6)) == D(2025, 3, 2)
    assert scheduled_catch_up_start(on=D(2025, 3, 2)) == D(2025, 3, 2)
    # A date that already ran repeats its own start, whatever ran since.
    assert scheduled_catch_up_start(on=D(2025, 3, 1)) == D(2025, 2, 21)


def test_a_run_for_an_older_date_does_not_move_the_realisation_back(region):
    location_with_reports("ENS-1", "GM0153", [(D(2025, 1, 1), 40, 30), (D(2025, 3, 1), 70, 50)])
    snapshots_recompute()
    task = adopted_task(code="asylum", deadline=D(2026, 1, 1))
    scheduled_run(on=D(2025, 3, 6))
    assert _enschede_share(task).realised == 70

    older = scheduled_run(on=D(2025, 2, 1))

    task.refresh_from_db()
    assert older.realised_as_of == D(2025, 3, 6)
    assert (task.realised_on, _enschede_share(task).realised) == (D(2025, 3, 6), 70)
    assert task.status == AssignmentStatus.ADOPTED
    assert _asylum_places(D(2025, 3, 6)) == 70  # the snapshots after it are rebuilt the same


def test_a_date_after_today_is_refused_and_changes_nothing(region):
    MeetingFactory(date=D(2024, 1, 24), status=MeetingStatus.PLANNED)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ScheduleError, match="vooruit"):
        scheduled_run(on=tomorrow)

    assert Meeting.objects.get().status == MeetingStatus.PLANNED
    assert not ScheduledRun.objects.exists()


def test_without_any_locations_nothing_is_recomputed(region):
    result = scheduled_run(on=D(2025, 3, 1))

    assert (result.municipalities, result.snapshots_written) == (0, 0)
    assert Municipality.objects.count() == 14


def test_nights_without_changes_add_no_snapshot_rows(region):
    location_with_reports("AZC-1", "GM0153", [(D(2024, 1, 1), 250, 200)])
    snapshots_recompute()
    before = OccupancySnapshot.objects.count()

    for night in range(1, 8):
        scheduled_run(on=D(2024, 2, night))

    assert OccupancySnapshot.objects.count() == before
    assert _asylum_places(D(2024, 2, 7)) == 250
