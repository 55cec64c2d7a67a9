"""One background recompute per import, whatever its number of rows and municipalities."""

import datetime
import time

import pytest
from django.core.management import call_command
from django.db import OperationalError

from allocation.tasks import recompute_assignments
from capacity import recompute
from capacity.models import OccupancySnapshot
from capacity.tasks import recompute_occupancy
from imports.models import ImportRun, ImportStatus
from imports.service import import_file
from tests.capacity.factories import LocationFactory
from tests.factories import MunicipalityFactory

from .files import write_csv

FIRST_WEEK = datetime.date(2023, 1, 2)


@pytest.fixture
def twenty_municipalities(db):
    """20 municipalities with one location each; 25 weekly reports per location = 500 rows."""
    locations = [
        LocationFactory(code=f"LOC-{n:02d}", municipality=MunicipalityFactory(code=f"GM{8000 + n}"))
        for n in range(20)
    ]
    rows = [["location", "date", "capacity", "occupied"]]
    for n, location in enumerate(locations):
        for week in range(25):
            day = FIRST_WEEK + datetime.timedelta(weeks=week)
            rows.append([location.code, day.isoformat(), 100 + n, 50 + week])
    return locations, rows


SPIED = []


def spy(municipality_ids, from_date):
    SPIED.append((list(municipality_ids), from_date))


@pytest.fixture
def followups(monkeypatch):
    """Record the follow-ups the recompute runs, as one more of its FOLLOWUPS."""
    SPIED.clear()
    monkeypatch.setattr(recompute, "FOLLOWUPS", (*recompute.FOLLOWUPS, f"{__name__}.spy"))
    return SPIED


def test_an_import_of_500_rows_over_20_municipalities_enqueues_one_task(
    tmp_path, twenty_municipalities, monkeypatch, django_capture_on_commit_callbacks
):
    locations, rows = twenty_municipalities
    enqueued = []
    monkeypatch.setattr(
        recompute_occupancy, "delay", lambda *args, **kwargs: enqueued.append((args, kwargs))
    )
    path = write_csv(tmp_path, "a.csv", rows)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = import_file(kind="capacity-reports", path=path, user=None, dry_run=False)
    assert result.run.created_count == 500
    assert len(callbacks) == 1
    run = ImportRun.objects.get(pk=result.run.pk)
    assert run.recompute_municipality_ids == sorted(
        location.municipality_id for location in locations
    )
    assert run.recompute_from == FIRST_WEEK
    assert enqueued == [
        ((run.recompute_municipality_ids, FIRST_WEEK.isoformat()), {"import_run_id": run.pk})
    ]


def test_the_recompute_gives_the_right_totals_and_marks_the_run_finished(
    tmp_path, twenty_municipalities, followups, django_capture_on_commit_callbacks, eager_celery
):
    locations, rows = twenty_municipalities
    path = write_csv(tmp_path, "a.csv", rows)
    with django_capture_on_commit_callbacks(execute=True):  # eager Celery: runs in-process
        result = import_file(kind="capacity-reports", path=path, user=None, dry_run=False)
    run = ImportRun.objects.get(pk=result.run.pk)
    assert run.status == ImportStatus.RECOMPUTED
    assert run.recompute_finished_at is not None
    current = {
        snapshot.municipality_id: (snapshot.capacity, snapshot.occupied, snapshot.date)
        for snapshot in OccupancySnapshot.objects.filter(
            valid_until__isnull=True, target_group="asylum"
        )
    }
    last_week = FIRST_WEEK + datetime.timedelta(weeks=24)
    assert current == {
        location.municipality_id: (100 + n, 50 + 24, last_week)
        for n, location in enumerate(locations)
    }
    assert followups == [(run.recompute_municipality_ids, FIRST_WEEK)]


def test_running_the_recompute_again_changes_nothing(
    tmp_path, twenty_municipalities, django_capture_on_commit_callbacks, eager_celery
):
    _, rows = twenty_municipalities
    path = write_csv(tmp_path, "a.csv", rows[:60])
    with django_capture_on_commit_callbacks(execute=True):
        result = import_file(kind="capacity-reports", path=path, user=None, dry_run=False)
    snapshots = list(OccupancySnapshot.objects.order_by("pk").values())
    run = ImportRun.objects.get(pk=result.run.pk)
    finished = run.recompute_finished_at

    def redeliver() -> int:  # the task as the worker runs it
        return recompute_occupancy(
            run.recompute_municipality_ids, FIRST_WEEK.isoformat(), import_run_id=run.pk
        )

    assert redeliver() == 0  # a redelivered task: no work
    # A retry before the stamp was written rebuilds the same rows.
    ImportRun.objects.filter(pk=result.run.pk).update(
        recompute_finished_at=None, status=ImportStatus.IMPORTED
    )
    assert redeliver() > 0
    assert [{k: v for k, v in row.items() if k != "id"} for row in snapshots] == [
        {k: v for k, v in row.items() if k != "id"}
        for row in OccupancySnapshot.objects.order_by("pk").values()
    ]
    assert ImportRun.objects.get(pk=result.run.pk).recompute_finished_at >= finished


def test_an_import_that_changes_no_figures_enqueues_nothing(
    tmp_path, twenty_municipalities, monkeypatch, django_capture_on_commit_callbacks, eager_celery
):
    _, rows = twenty_municipalities
    path = write_csv(tmp_path, "a.csv", rows[:30])
    with django_capture_on_commit_callbacks(execute=True):
        import_file(kind="capacity-reports", path=path, user=None, dry_run=False)
    enqueued = []
    monkeypatch.setattr(recompute_occupancy, "delay", lambda *args, **kw: enqueued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        again = import_file(kind="capacity-reports", path=path, user=None, dry_run=False)
    assert again.run.unchanged_count == 29
    assert enqueued == []


@pytest.mark.parametrize("task", [recompute_occupancy, recompute_assignments])
def test_the_recompute_tasks_are_acknowledged_late_and_retried_with_one_backoff(task):
    assert task.acks_late is True
    assert any(issubclass(OperationalError, kind) for kind in task.autoretry_for)
    assert (task.retry_backoff, task.retry_backoff_max, task.max_retries) == (True, 300, 8)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_recomputes_after_an_import_and_stamps_the_run(celery_worker, tmp_path):
    call_command("load_twente", verbosity=0)
    path = write_csv(
        tmp_path,
        "meldingen.csv",
        [
            ["location", "date", "capacity", "occupied"],
            ["CNO-ENS-01", "2023-01-02", 59, 40],
            ["CNO-HKB-01", "02-01-2023", 22, 10],
        ],
    )
    result = import_file(kind="capacity-reports", path=path, user=None, dry_run=False)
    assert result.run.status == ImportStatus.IMPORTED
    deadline = time.monotonic() + 60
    run = result.run
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.recompute_finished_at is not None:
            break
        time.sleep(0.5)
    assert run.status == ImportStatus.RECOMPUTED
    enschede = OccupancySnapshot.objects.get(
        municipality__code="GM0153", target_group="asylum", date=datetime.date(2023, 1, 2)
    )
    assert (enschede.capacity, enschede.occupied) == (59, 40)
