"""Realisation (operational places per share) and the recompute after figures change."""

import datetime

import pytest

from allocation.models import Assignment, Share
from allocation.services import (
    assignments_recompute,
    assignments_recompute_enqueue,
    realisation_date,
    realisation_recompute,
)
from capacity.choices import ReportSource, TargetGroup
from capacity.recompute import FOLLOWUPS
from capacity.services import occupancy_recompute, report_submit
from municipalities.models import KeyFigure, Municipality
from tests.allocation.factories import assignment_with_shares
from tests.capacity.factories import CapacityReportFactory, LocationFactory

TODAY = datetime.date(2024, 6, 1)


@pytest.fixture
def enschede(region):
    return Municipality.objects.get(code="GM0153")


def _realised(assignment: Assignment, code: str = "GM0153") -> int:
    return Share.objects.get(assignment=assignment, municipality__code=code).realised


def _report(location, date, capacity):
    CapacityReportFactory(location=location, date=date, capacity=capacity, occupied=0)


def test_realisation_date_is_the_deadline_once_passed_else_today():
    past = Assignment(deadline=datetime.date(2024, 1, 1))
    future = Assignment(deadline=datetime.date(2025, 1, 1))
    open_ended = Assignment(deadline=None)
    assert realisation_date(past, TODAY) == datetime.date(2024, 1, 1)
    assert realisation_date(future, TODAY) == TODAY
    assert realisation_date(open_ended, TODAY) == TODAY


def test_realised_counts_operational_capacity_of_the_target_group_on_the_deadline(enschede):
    asylum = LocationFactory(municipality=enschede, target_group=TargetGroup.ASYLUM)
    ukraine = LocationFactory(municipality=enschede, target_group=TargetGroup.UKRAINE)
    _report(asylum, datetime.date(2023, 12, 1), 200)
    _report(asylum, datetime.date(2024, 3, 1), 260)
    _report(ukraine, datetime.date(2023, 12, 1), 90)
    occupancy_recompute(municipality_ids=[enschede.pk])
    past = assignment_with_shares(deadline=datetime.date(2024, 1, 1))
    running = assignment_with_shares(deadline=datetime.date(2025, 1, 1))
    refugees = assignment_with_shares(
        target_group=TargetGroup.UKRAINE, total=3000, deadline=datetime.date(2025, 1, 1)
    )

    changed = realisation_recompute(today=TODAY)

    assert changed == 3
    assert _realised(past) == 200  # figure valid on the deadline, the March report came later
    assert _realised(running) == 260
    assert _realised(refugees) == 90
    assert _realised(running, "GM0141") == 0
    past.refresh_from_db()
    running.refresh_from_db()
    assert (past.realised_on, running.realised_on) == (datetime.date(2024, 1, 1), TODAY)
    totals = Assignment.objects.with_totals().get(pk=running.pk)
    assert (totals.realised_total, totals.gap) == (260, 1944 - 260)


def test_realisation_recompute_is_idempotent(enschede, django_assert_max_num_queries):
    _report(LocationFactory(municipality=enschede), datetime.date(2023, 12, 1), 200)
    occupancy_recompute(municipality_ids=[enschede.pk])
    for n in range(3):
        assignment_with_shares(deadline=datetime.date(2025, 1, n + 1))
    assert realisation_recompute(today=TODAY) == 3
    # Assignments, then per (date, region): capacity, shares, realised_on, the shares with
    # credited effort (issue 23); no writes.
    with django_assert_max_num_queries(7):
        assert realisation_recompute(today=TODAY) == 0


def test_a_capacity_change_after_the_deadline_leaves_that_task_alone(enschede):
    location = LocationFactory(municipality=enschede)
    _report(location, datetime.date(2023, 12, 1), 200)
    occupancy_recompute(municipality_ids=[enschede.pk])
    past = assignment_with_shares(deadline=datetime.date(2024, 1, 1))
    realisation_recompute(today=TODAY)
    Share.objects.filter(assignment=past).update(realised=1)
    realisation_recompute(
        municipality_ids=[enschede.pk], from_date=datetime.date(2024, 5, 1), today=TODAY
    )
    assert _realised(past) == 1


def test_a_capacity_report_updates_realisation_through_the_followup(
    enschede, coordinator, django_capture_on_commit_callbacks, eager_celery
):
    assert FOLLOWUPS == (
        "allocation.services.realisation_followup",
        "twente.notifications.services.threshold_followup",
    )
    assignment = assignment_with_shares(deadline=None)
    location = LocationFactory(municipality=enschede)
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(
            location=location,
            date=datetime.date.today(),
            capacity=45,
            occupied=40,
            source=ReportSource.FORM,
            user=coordinator,
        )
    assert _realised(assignment) == 45


def test_assignments_recompute_follows_new_population_figures(region):
    assignment = assignment_with_shares(total=1944, reference_date=None)
    KeyFigure.objects.create(
        municipality=Municipality.objects.get(code="GM0153"),
        date=datetime.date(2023, 1, 1),
        population=200_000,
    )
    result = assignments_recompute(municipality_ids=[Municipality.objects.get(code="GM0153").pk])
    assert result["assignments"] == 1 and result["failed"] == 0
    shares = dict(assignment.shares.values_list("municipality__code", "computed_share"))
    assert sum(shares.values()) == 1944
    assert shares["GM0153"] == 578  # 1944 × 200,000 / 673,277 = 577.47, largest remainder


def test_a_failing_recompute_keeps_the_shares_and_says_why(region):
    assignment = assignment_with_shares(total=1944, reference_date=None)
    before = dict(assignment.shares.values_list("municipality__code", "computed_share"))
    KeyFigure.objects.filter(municipality__code="GM0141").delete()
    result = assignments_recompute(assignment_ids=[assignment.pk])
    assert result["failed"] == 1
    assignment.refresh_from_db()
    assert "Voor gemeente Almelo ontbreekt het inwonertal" in assignment.compute_error
    assert dict(assignment.shares.values_list("municipality__code", "computed_share")) == before


def test_the_recompute_is_enqueued_after_commit_and_runs_the_task(
    region, django_capture_on_commit_callbacks, eager_celery
):
    assignment = assignment_with_shares(total=1944, reference_date=None)
    KeyFigure.objects.create(
        municipality=Municipality.objects.get(code="GM0153"),
        date=datetime.date(2023, 1, 1),
        population=200_000,
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assignments_recompute_enqueue(assignment_ids=[assignment.pk])
    # Nothing happens before the commit.
    assert assignment.shares.get(municipality__code="GM0153").computed_share == 493
    assert len(callbacks) == 1
    callbacks[0]()
    assert assignment.shares.get(municipality__code="GM0153").computed_share == 578


def test_the_task_runs_on_ids_and_is_safe_to_repeat(region, eager_celery):
    from allocation.tasks import recompute_assignments

    assignment = assignment_with_shares(total=1944)
    first = recompute_assignments.delay(assignment_ids=[assignment.pk]).get()
    second = recompute_assignments.delay(assignment_ids=[assignment.pk]).get()
    assert first == second == {"assignments": 1, "failed": 0, "realised_changed": 0}


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_recomputes_after_a_population_change(celery_worker):
    from allocation.tasks import recompute_assignments
    from municipalities.services import reference_data_load
    from twente.seeding import FIXTURES

    reference_data_load(directory=FIXTURES)
    assignment = assignment_with_shares(total=1944, reference_date=None)
    KeyFigure.objects.create(
        municipality=Municipality.objects.get(code="GM0153"),
        date=datetime.date(2023, 1, 1),
        population=200_000,
    )
    result = recompute_assignments.delay(assignment_ids=[assignment.pk])
    assert result.get(timeout=30)["failed"] == 0
    assert assignment.shares.get(municipality__code="GM0153").computed_share == 578
