"""Two people placing into the last free place at the same moment: one gets it.

Runs on PostgreSQL only (CI runs the suite there too): SQLite serialises all writes with a
database lock, so the race cannot happen there and threads would only see "database is locked".
"""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from capacity.choices import TargetGroup
from capacity.models import CapacityReport, Location
from matching.models import Placement
from matching.services import NoRoomError, placement_create
from tests.factories import UserFactory

from .factories import location_with_room

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_placements_into_the_last_place_one_succeeds():
    if connection.vendor != "postgresql":
        pytest.skip("row locking needs PostgreSQL (SQLite serialises writes)")
    location = location_with_room(capacity=10, occupied=9)
    users = [UserFactory(role="coordinator"), UserFactory(role="coordinator")]
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def place(user):
        try:
            barrier.wait()
            placement_create(
                location=Location.objects.get(pk=location.pk),
                people=1,
                target_group=TargetGroup.UKRAINE,
                user=user,
            )
            outcomes.append("placed")
        except NoRoomError:
            outcomes.append("no room")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=place, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["no room", "placed"]
    report = CapacityReport.objects.get(location=location, date=timezone.localdate())
    assert report.occupied == report.capacity == 10
    assert Placement.objects.count() == 1
