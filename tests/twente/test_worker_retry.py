"""A worker killed in the middle of the occupancy recompute: the task is delivered again and
the aggregates end up exactly as a fresh recompute writes them, nothing doubled or half-done.

Real `celery worker` processes on REDIS_URL against the PostgreSQL test database (skipped
otherwise, like the other worker tests). The worker is started through worker_with_pause.py,
whose first attempt of the recompute writes its rows and then waits before committing, so the
kill lands mid-transaction.

- A pool process killed (out of memory, `kill -9`): `acks_late` with `reject_on_worker_lost`
  requeues the task at once and the worker's next pool process runs it.
- The whole worker killed: the task stays unacknowledged in Redis until the broker's visibility
  timeout (CELERY_VISIBILITY_TIMEOUT, shortened here) hands it to the next worker.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from capacity.models import OccupancySnapshot
from capacity.services import occupancy_recompute
from capacity.tasks import recompute_occupancy
from tests.capacity.factories import CapacityReportFactory, LocationFactory
from tests.factories import MunicipalityFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 3  # seconds; production keeps the default of an hour


@pytest.fixture
def start_worker(transactional_db):
    """Start workers running worker_with_pause.py on the test database; stopped at the end."""
    redis_url = os.environ.get("REDIS_URL")
    database_url = os.environ.get("DATABASE_URL")
    if not redis_url or not database_url or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and DATABASE_URL (PostgreSQL)")
    from twente.celery import app

    app.control.purge()
    base, _, _ = database_url.rpartition("/")
    started: list[subprocess.Popen] = []

    def start(marker_dir: Path, **env: str) -> subprocess.Popen:
        name_prefix = f"retry-{len(started)}"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.twente.worker_with_pause",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname={name_prefix}@%h",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": f"{base}/{connection.settings_dict['NAME']}",
                "RECOMPUTE_PAUSE_DIR": str(marker_dir),
                **env,
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: killed with its pool processes
        )
        started.append(process)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"celery worker exited: {process.stdout.read()}")
            replies = app.control.ping(timeout=0.5)
            if any(name.startswith(f"{name_prefix}@") for reply in replies for name in reply):
                return process
        pytest.fail("celery worker did not answer a ping within 30 s")

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def snapshot_rows(municipality):
    return list(
        OccupancySnapshot.objects.filter(municipality=municipality)
        .order_by("target_group", "date")
        .values_list(
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
def stale_municipality(db):
    """A municipality whose snapshots no longer match its reports (as after a change whose
    recompute has not run yet)."""
    municipality = MunicipalityFactory()
    locations = [LocationFactory(municipality=municipality) for _ in range(3)]
    start = datetime.date(2023, 1, 2)
    for week in range(8):
        for n, location in enumerate(locations):
            CapacityReportFactory(
                location=location,
                date=start + datetime.timedelta(weeks=week),
                capacity=60 + n,
                occupied=40 + week + n,
            )
    occupancy_recompute(municipality_ids=[municipality.pk])
    for n, location in enumerate(locations):
        CapacityReportFactory(
            location=location, date=start + datetime.timedelta(weeks=8), capacity=70, occupied=n
        )
    return municipality


def wait_for(path_glob: str, directory: Path, timeout: float = 30) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(directory.glob(path_glob))
        if found:
            return found[0]
        time.sleep(0.1)
    pytest.fail(f"no {path_glob} in {directory} within {timeout} s")


def attempts(directory: Path, municipality) -> list[str]:
    return sorted(path.name for path in directory.glob(f"attempt-{municipality.pk}-*"))


def assert_recomputed_from_scratch(municipality, written: int):
    rows = snapshot_rows(municipality)
    assert len(rows) == written
    keys = [(group, date) for group, date, *_ in rows]
    assert len(keys) == len(set(keys))  # nothing doubled
    occupancy_recompute(municipality_ids=[municipality.pk])
    assert snapshot_rows(municipality) == rows  # exactly what a fresh recompute writes


def test_a_killed_pool_process_leaves_the_aggregates_recomputed(
    start_worker, stale_municipality, tmp_path
):
    municipality = stale_municipality
    stale = snapshot_rows(municipality)
    worker = start_worker(tmp_path)

    result = recompute_occupancy.delay([municipality.pk], None)
    marker = wait_for(f"attempt-{municipality.pk}-1", tmp_path)
    # The first attempt has written its rows but not committed them: nobody sees them.
    assert snapshot_rows(municipality) == stale
    pool_pid = int(marker.read_text().split()[0])
    assert pool_pid != worker.pid
    os.kill(pool_pid, signal.SIGKILL)

    written = result.get(timeout=60)

    assert attempts(tmp_path, municipality) == [
        f"attempt-{municipality.pk}-1",
        f"attempt-{municipality.pk}-2",
    ]
    assert result.successful()
    assert snapshot_rows(municipality) != stale
    assert_recomputed_from_scratch(municipality, written)


def test_a_killed_worker_leaves_the_task_to_the_next_worker(
    start_worker, stale_municipality, tmp_path
):
    municipality = stale_municipality
    stale = snapshot_rows(municipality)
    first = start_worker(tmp_path, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT))

    result = recompute_occupancy.delay([municipality.pk], None)
    wait_for(f"attempt-{municipality.pk}-1", tmp_path)
    os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool process, without warning
    first.wait(timeout=15)
    assert snapshot_rows(municipality) == stale  # the cut-short attempt left nothing

    # A worker hands out unacknowledged tasks older than the visibility timeout when it starts
    # (and about every 100 s while it runs): start the next one once the timeout has passed.
    time.sleep(VISIBILITY_TIMEOUT + 1)
    start_worker(tmp_path, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT))
    written = result.get(timeout=90)

    assert attempts(tmp_path, municipality) == [
        f"attempt-{municipality.pk}-1",
        f"attempt-{municipality.pk}-2",
    ]
    assert_recomputed_from_scratch(municipality, written)
