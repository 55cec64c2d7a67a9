"""The dashboard's read cache (`capacity/read_cache.py`): a cached read is served until what
it follows from changes, and never after: a recomputed report, a saved location, a saved
threshold, a placement. Each test looks at the page once first, so that it reads from the
cache the second time."""

from decimal import Decimal

import pytest
from django.urls import reverse

from capacity.choices import TargetGroup
from capacity.models import CapacityReport, OccupancyThreshold
from tests.dashboard.factories import days_ago, location_with_reports, snapshots_recompute
from tests.factories import UserFactory
from tests.matching.factories import PlacementFactory

HOME = reverse("home")


@pytest.fixture
def logged_in(client, region):
    location_with_reports(
        "UKR-ENS", "GM0153", [(days_ago(3), 100, 90)], target_group=TargetGroup.UKRAINE
    )
    snapshots_recompute()
    client.force_login(UserFactory(username="coord", role="coordinator"))
    return client


def _dashboard(client):
    return client.get(HOME).context["dashboard"]


def test_a_recomputed_report_shows_in_the_trend_and_the_outlook(logged_in):
    before = _dashboard(logged_in)
    assert before.trend[-1].groups[2].operational == 100

    CapacityReport.objects.filter(location__code="UKR-ENS").update(capacity=120)
    # Until the worker recomputed, the page keeps to the snapshots: the figures agree.
    assert _dashboard(logged_in).trend[-1].groups[2].operational == 100
    snapshots_recompute()

    after = _dashboard(logged_in)
    assert after.trend[-1].groups[2].operational == 120
    ukraine = [row for row in after.outlook[0].groups if row["target_group"] == "ukraine"]
    assert ukraine[0]["places"] == 120


def test_a_saved_threshold_changes_the_level_at_once(logged_in):
    def level():
        return logged_in.get(HOME).context["picture"].overview.group("ukraine").level

    assert level() == "ok"  # 90%
    threshold = OccupancyThreshold.objects.get(target_group="ukraine")
    threshold.warning, threshold.tipping_point = Decimal("0.85"), Decimal("0.89")
    threshold.save()

    assert level() == "tipping_point"


def test_a_placement_shows_at_once(logged_in):
    assert _dashboard(logged_in).placements == []

    location = CapacityReport.objects.get(location__code="UKR-ENS").location
    PlacementFactory(location=location, people=3)

    assert [row["people"] for row in _dashboard(logged_in).placements] == [3]


def test_another_regions_change_leaves_the_cached_reads_alone(logged_in, django_assert_num_queries):
    from capacity import read_cache

    _dashboard(logged_in)
    read_cache.regions_changed(["VR04"])
    # No task here: no shares, no housing reports; the national figures, the locations yet to
    # open the user may not name and the tasks in force are not cached (4).
    with django_assert_num_queries(11):
        _dashboard(logged_in)
    read_cache.regions_changed(["VR05"])
    # Places per type, trend, outlook and placements again (the thresholds are everybody's).
    with django_assert_num_queries(11 + 4):
        _dashboard(logged_in)
