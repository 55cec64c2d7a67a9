"""Two editors saving the same version at the same moment: exactly one wins.

The version check and bump are one conditional UPDATE, so it holds under real concurrency, not
only one request after the other. PostgreSQL only (CI runs the suite there too): SQLite
serialises all writes with a database lock, so the race cannot happen there.

The first editor keeps its transaction open after its save while the second one saves. With a
check that reads the version and then writes, the second editor would read the old version
(the first one's change is not committed yet), pass the check, wait for the row and then
overwrite: both would "succeed". The conditional UPDATE makes the second one wait for the
first to commit and then match no row.
"""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from capacity.models import CapacityReport, Location
from capacity.services import (
    SeenReport,
    StaleVersionError,
    WeeklyRow,
    location_update,
    report_update,
    weekly_counts_submit,
)
from tests.factories import MunicipalityFactory, UserFactory

from .factories import CapacityReportFactory, LocationFactory

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locking needs PostgreSQL (SQLite serialises writes)")


def race(first, second) -> list[str]:
    """Run `first` and `second` in two threads (two database connections): `first` saves and
    keeps its transaction open for a moment; `second` saves meanwhile. Returns the outcome of
    each, in that order: "saved", "stale" or the unexpected exception."""
    first_saved = threading.Event()
    outcomes = ["", ""]

    def run(index, work, before=None, after=None):
        try:
            if before:
                before()
            with transaction.atomic():
                work()
                if after:
                    after()
            outcomes[index] = "saved"
        except StaleVersionError:
            outcomes[index] = "stale"
        except Exception as exc:  # noqa: BLE001 - reported by the assertions
            outcomes[index] = repr(exc)
        finally:
            first_saved.set()
            connections.close_all()

    def hold():
        first_saved.set()
        # Long enough for the second editor to read and try to write meanwhile.
        threading.Event().wait(0.5)

    threads = [
        threading.Thread(target=run, args=(0, first, None, hold)),
        threading.Thread(target=run, args=(1, second, lambda: first_saved.wait(10))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_reports_updates_with_the_same_version_one_wins():
    report = CapacityReportFactory(date=TODAY - datetime.timedelta(days=1), occupied=50)
    users = [UserFactory(role="coordinator"), UserFactory(role="coordinator")]

    def save(user, occupied):
        return lambda: report_update(
            report=CapacityReport.objects.get(pk=report.pk),
            expected_version=1,
            user=user,
            occupied=occupied,
        )

    outcomes = race(save(users[0], 51), save(users[1], 52))

    assert outcomes == ["saved", "stale"]
    report.refresh_from_db()
    assert (report.occupied, report.version) == (51, 2)
    assert report.history.count() == 2  # created, and the one update that won


def test_two_location_updates_with_the_same_version_one_wins():
    location = LocationFactory(name="Oud")
    users = [UserFactory(role="coordinator"), UserFactory(role="coordinator")]

    def save(user, name):
        return lambda: location_update(
            location=Location.objects.get(pk=location.pk),
            user=user,
            expected_version=1,
            name=name,
        )

    outcomes = race(save(users[0], "Eerste"), save(users[1], "Tweede"))

    assert outcomes == ["saved", "stale"]
    location.refresh_from_db()
    assert (location.name, location.version) == ("Eerste", 2)


def test_two_grids_shown_with_the_same_figures_one_saves():
    municipality = MunicipalityFactory()
    location = LocationFactory(municipality=municipality, name="De Es")
    report = CapacityReportFactory(location=location, date=TODAY, capacity=60, occupied=50)
    seen = {location.pk: SeenReport(report.pk, report.version)}

    def save(occupied):
        return lambda: weekly_counts_submit(
            municipality=municipality,
            date=TODAY,
            rows=[WeeklyRow(Location.objects.get(pk=location.pk), 60, occupied)],
            user=None,
            seen=seen,
        )

    outcomes = race(save(51), save(52))

    # The loser's WeeklyCountsConflict is a StaleVersionError.
    assert outcomes == ["saved", "stale"]
    report.refresh_from_db()
    assert (report.occupied, report.version) == (51, 2)
