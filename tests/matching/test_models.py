import pytest
from django.db import IntegrityError
from django.utils import timezone

from matching.choices import PlacementStatus

from .factories import PlacementFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_zero_people():
    with pytest.raises(IntegrityError):
        PlacementFactory(people=0)


def test_the_database_refuses_an_ended_placement_without_end_time():
    with pytest.raises(IntegrityError):
        PlacementFactory(status=PlacementStatus.CANCELLED, ended_at=None)


def test_the_database_refuses_an_end_time_on_an_active_placement():
    with pytest.raises(IntegrityError):
        PlacementFactory(status=PlacementStatus.PLACED, ended_at=timezone.now())
