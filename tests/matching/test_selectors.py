import datetime

import pytest
from django.utils import timezone

from capacity.choices import TargetGroup
from capacity.services import occupancy_recompute
from matching.choices import Category, PlacementStatus
from matching.selectors import placements_summary

from .factories import PlacementFactory, days_ago, location_with_room

pytestmark = pytest.mark.django_db


def test_the_summary_gives_free_places_and_last_weeks_placements(django_assert_max_num_queries):
    location = location_with_room(capacity=60, occupied=50, reserved=4)
    occupancy_recompute(municipality_ids=[location.municipality_id])
    now = timezone.now()
    PlacementFactory(location=location, people=3, category=Category.THIRD_COUNTRY_UKRAINE)
    PlacementFactory(location=location, people=2, category=Category.THIRD_COUNTRY_UKRAINE)
    PlacementFactory(location=location, people=1)
    PlacementFactory(location=location, people=7, status=PlacementStatus.CANCELLED, ended_at=now)
    PlacementFactory(location=location, people=8, placed_at=now - datetime.timedelta(days=10))
    with django_assert_max_num_queries(3):
        summary = placements_summary(region_code="VR05", since=days_ago(7))
    free = {row["target_group"]: row["free"] for row in summary["free"]}
    assert free == {TargetGroup.ASYLUM: 0, TargetGroup.PERMIT_HOLDERS: 0, TargetGroup.UKRAINE: 6}
    assert [(r["category"], r["placements"], r["people"]) for r in summary["placements"]] == [
        ("regular", 1, 1),
        ("third_country_ukraine", 2, 5),
    ]
    assert summary["people_placed"] == 6
    assert summary["placements"][1]["category_label"].startswith("Derdelanders")
