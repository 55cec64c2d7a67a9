import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from allocation.choices import AssignmentStatus
from allocation.models import Share
from capacity.choices import LocationStatus, ReportSource, TargetGroup
from capacity.models import CapacityReport
from matching.choices import Category, PlacementStatus
from matching.services import (
    Criteria,
    NoRoomError,
    matches_find,
    placement_create,
    placement_end,
    placement_request_create,
)
from tests.allocation.factories import AssignmentFactory
from tests.factories import MunicipalityFactory, SafetyRegionFactory

from .factories import PlacementRequestFactory, days_ago, location_with_room

pytestmark = pytest.mark.django_db


def find(people=1, target_group=TargetGroup.UKRAINE, **criteria):
    return matches_find(
        criteria=Criteria(people=people, target_group=target_group, **criteria),
        region_code="VR05",
    )


def codes(matches):
    return [match.location.code for match in matches]


# Free places ----------------------------------------------------------------------------------


def test_free_places_are_capacity_minus_occupied_minus_reserved():
    location_with_room(code="A", capacity=60, occupied=50, reserved=4)
    (match,) = find(people=1)
    assert (match.capacity, match.occupied, match.reserved, match.free) == (60, 50, 4, 6)


def test_it_leaves_out_locations_with_fewer_free_places_than_people():
    location_with_room(code="EXACT", capacity=60, occupied=50, reserved=4)  # 6 free
    location_with_room(code="SHORT", capacity=60, occupied=55, reserved=0)  # 5 free
    assert codes(find(people=6)) == ["EXACT"]


def test_it_uses_the_latest_report_only():
    location = location_with_room(code="A", capacity=10, occupied=0, date=days_ago(3))
    CapacityReport.objects.create(location=location, date=days_ago(1), capacity=10, occupied=9)
    (match,) = find(people=1)
    assert match.free == 1
    assert match.last_report == days_ago(1)
    assert find(people=2) == []


def test_it_leaves_out_other_target_groups_closed_and_unreported_locations():
    location_with_room(code="ASYLUM", target_group=TargetGroup.ASYLUM)
    location_with_room(code="WINDING", status=LocationStatus.WINDING_DOWN)
    location_with_room(code="ENDED", contract_end=days_ago(1), opened_on=days_ago(100))
    location_with_room(code="OK")
    from tests.matching.factories import UkraineLocationFactory

    UkraineLocationFactory(code="NOREPORT")
    assert codes(find()) == ["OK"]


def test_it_leaves_out_other_regions():
    other = SafetyRegionFactory(code="VR04", name="IJsselland")
    location_with_room(code="ZWOLLE", municipality=MunicipalityFactory(safety_region=other))
    location_with_room(code="TWENTE")
    assert codes(find()) == ["TWENTE"]


def test_it_requires_every_facility_asked_for():
    location_with_room(code="BOTH", accessible=True, ground_floor=True)
    location_with_room(code="ACCESSIBLE", accessible=True)
    location_with_room(code="NONE")
    assert codes(find(needs=("accessible", "ground_floor"))) == ["BOTH"]
    assert sorted(codes(find(needs=("accessible",)))) == ["ACCESSIBLE", "BOTH"]


def test_it_flags_stale_reports(settings):
    settings.STALE_REPORT_DAYS = 14
    location_with_room(code="FRESH", date=days_ago(14))
    location_with_room(code="STALE", date=days_ago(15))
    stale = {match.location.code: match.stale for match in find()}
    assert stale == {"FRESH": False, "STALE": True}


# Ranking --------------------------------------------------------------------------------------


def test_it_ranks_the_preferred_municipality_first_then_by_free_places():
    enschede = MunicipalityFactory(code="GM0153", name="Enschede")
    hengelo = MunicipalityFactory(code="GM0164", name="Hengelo")
    location_with_room(code="ENS", municipality=enschede, capacity=10, occupied=8)
    location_with_room(code="HGL-BIG", municipality=hengelo, capacity=100, occupied=10)
    location_with_room(code="HGL-SMALL", municipality=hengelo, capacity=100, occupied=90)
    assert codes(find(preferred_municipality="GM0153")) == ["ENS", "HGL-BIG", "HGL-SMALL"]
    assert codes(find()) == ["HGL-BIG", "HGL-SMALL", "ENS"]
    assert [match.preferred for match in find(preferred_municipality="GM0153")] == [
        True,
        False,
        False,
    ]


def test_equal_free_places_go_to_the_municipality_furthest_behind_its_share():
    behind = MunicipalityFactory(code="GM0141", name="Almelo")
    ahead = MunicipalityFactory(code="GM0147", name="Borne")
    none = MunicipalityFactory(code="GM0158", name="Haaksbergen")
    task = AssignmentFactory(
        target_group=TargetGroup.UKRAINE,
        status=AssignmentStatus.ADOPTED,
        deadline=timezone.localdate() + datetime.timedelta(days=90),
    )
    Share.objects.create(assignment=task, municipality=behind, computed_share=100, realised=20)
    Share.objects.create(assignment=task, municipality=ahead, computed_share=100, realised=90)
    for code, municipality in [("A-AHEAD", ahead), ("B-NONE", none), ("C-BEHIND", behind)]:
        location_with_room(code=code, municipality=municipality, capacity=20, occupied=10)
    matches = find()
    assert codes(matches) == ["C-BEHIND", "A-AHEAD", "B-NONE"]
    assert [match.share_gap for match in matches] == [80, 10, None]


def test_an_amv_request_gets_amv_places_only_ranked_by_the_amv_part():
    # Issue 23: matching for an unaccompanied minor offers AMV places, not any asylum place.
    almelo = MunicipalityFactory(code="GM0141", name="Almelo")
    borne = MunicipalityFactory(code="GM0147", name="Borne")
    region = almelo.safety_region
    ahead = timezone.localdate() + datetime.timedelta(days=90)
    task = AssignmentFactory(
        code="asylum",
        region=region,
        status=AssignmentStatus.ADOPTED,
        deadline=ahead,
        total=1000,
        location_types=["azc", "amv"],
    )
    part = AssignmentFactory(
        code="asylum-amv",
        region=region,
        status=AssignmentStatus.ADOPTED,
        deadline=ahead,
        total=100,
        location_types=["amv"],
        parent=task,
    )
    # By the whole task Almelo is further behind; by the AMV part Borne is.
    Share.objects.create(assignment=task, municipality=almelo, computed_share=600, realised=0)
    Share.objects.create(assignment=task, municipality=borne, computed_share=400, realised=300)
    Share.objects.create(assignment=part, municipality=almelo, computed_share=50, realised=50)
    Share.objects.create(assignment=part, municipality=borne, computed_share=50, realised=0)
    asylum = {"target_group": TargetGroup.ASYLUM, "capacity": 60, "occupied": 10}
    location_with_room(code="AZC-ALM", municipality=almelo, type="azc", **asylum)
    location_with_room(code="AMV-ALM", municipality=almelo, type="amv", **asylum)
    location_with_room(code="AMV-BRN", municipality=borne, type="amv", **asylum)
    request = PlacementRequestFactory(
        region=region, target_group=TargetGroup.ASYLUM, category=Category.AMV, people=2
    )

    matches = matches_find(criteria=Criteria.of_request(request), region_code=region.code)

    assert codes(matches) == ["AMV-BRN", "AMV-ALM"]
    assert [match.share_gap for match in matches] == [50, 0]
    everyone = find(target_group=TargetGroup.ASYLUM)
    assert codes(everyone) == ["AMV-ALM", "AZC-ALM", "AMV-BRN"]  # by the whole task


def test_without_an_active_task_ties_go_by_location_code():
    for code in ["B", "C", "A"]:
        location_with_room(code=code, capacity=20, occupied=10)
    assert codes(find()) == ["A", "B", "C"]


def test_finding_takes_two_queries_whatever_the_number_of_locations(
    django_assert_max_num_queries,
):
    for n in range(12):
        location_with_room(code=f"L{n:02d}", accessible=True)
    with django_assert_max_num_queries(2):
        matches = find(needs=("accessible",))
        [match.municipality.name for match in matches]
    assert len(matches) == 12


# Requests -------------------------------------------------------------------------------------


def test_a_request_with_adults_and_children_must_add_up(coordinator):
    region = SafetyRegionFactory()
    with pytest.raises(ValidationError) as exc:
        placement_request_create(
            region=region,
            user=coordinator,
            people=4,
            adults=1,
            children=2,
            target_group=TargetGroup.UKRAINE,
            origin="ter_apel",
        )
    assert "samen moeten het aantal personen (4) zijn" in str(exc.value)


def test_the_criteria_of_a_request_carry_its_needs_and_preference():
    enschede = MunicipalityFactory(code="GM0153")
    request = PlacementRequestFactory(
        people=4, pets=True, ground_floor=True, preferred_municipality=enschede
    )
    criteria = Criteria.of_request(request)
    assert criteria == Criteria(
        people=4,
        target_group=TargetGroup.UKRAINE,
        needs=("ground_floor", "pets"),
        preferred_municipality="GM0153",
    )


# Placing --------------------------------------------------------------------------------------


def test_a_placement_raises_todays_occupied_count_from_the_latest_report(coordinator):
    location = location_with_room(capacity=60, occupied=50, reserved=2, date=days_ago(5))
    request = PlacementRequestFactory()
    placement = placement_create(
        location=location,
        people=3,
        target_group=TargetGroup.UKRAINE,
        category=Category.THIRD_COUNTRY_UKRAINE,
        request=request,
        user=coordinator,
    )
    report = CapacityReport.objects.get(location=location, date=timezone.localdate())
    assert (report.capacity, report.occupied, report.reserved) == (60, 53, 2)
    assert report.source == ReportSource.PLACEMENT
    assert report.reported_by == coordinator
    assert placement.report == report
    assert (placement.status, placement.placed_by, placement.request) == (
        PlacementStatus.PLACED,
        coordinator,
        request,
    )
    assert placement.category == Category.THIRD_COUNTRY_UKRAINE


def test_a_second_placement_the_same_day_updates_todays_report(coordinator):
    location = location_with_room(capacity=10, occupied=0)
    for _ in range(2):
        placement_create(
            location=location, people=2, target_group=TargetGroup.UKRAINE, user=coordinator
        )
    assert list(CapacityReport.objects.filter(location=location).values_list("occupied")) == [(4,)]


def test_it_refuses_more_people_than_free_places(coordinator):
    location = location_with_room(capacity=10, occupied=7, reserved=1)
    with pytest.raises(NoRoomError) as exc:
        placement_create(
            location=location, people=3, target_group=TargetGroup.UKRAINE, user=coordinator
        )
    assert exc.value.free == 2
    assert "Er is geen plek meer" in str(exc.value)
    assert "nog 2 vrij" in str(exc.value)
    assert CapacityReport.objects.get(location=location).occupied == 7


def test_the_last_free_places_can_be_taken_exactly(coordinator):
    location = location_with_room(capacity=10, occupied=7)
    placement_create(
        location=location, people=3, target_group=TargetGroup.UKRAINE, user=coordinator
    )
    assert CapacityReport.objects.get(location=location).occupied == 10
    with pytest.raises(NoRoomError):
        placement_create(
            location=location, people=1, target_group=TargetGroup.UKRAINE, user=coordinator
        )


def test_a_location_without_any_report_has_no_room(coordinator):
    from tests.matching.factories import UkraineLocationFactory

    with pytest.raises(NoRoomError):
        placement_create(
            location=UkraineLocationFactory(),
            people=1,
            target_group=TargetGroup.UKRAINE,
            user=coordinator,
        )


@pytest.mark.parametrize("people", [0, -1, 501])
def test_it_refuses_impossible_numbers_of_people(coordinator, people):
    location = location_with_room(capacity=600, occupied=0)
    with pytest.raises(ValidationError) as exc:
        placement_create(
            location=location, people=people, target_group=TargetGroup.UKRAINE, user=coordinator
        )
    assert "people" in exc.value.message_dict
    assert CapacityReport.objects.get(location=location).occupied == 0


def test_it_refuses_a_target_group_the_location_does_not_take(coordinator):
    location = location_with_room()
    with pytest.raises(ValidationError) as exc:
        placement_create(
            location=location, people=1, target_group=TargetGroup.ASYLUM, user=coordinator
        )
    assert "target_group" in exc.value.message_dict


def test_it_refuses_a_location_that_is_not_operational(coordinator):
    location = location_with_room(status=LocationStatus.WINDING_DOWN)
    with pytest.raises(ValidationError) as exc:
        placement_create(
            location=location, people=1, target_group=TargetGroup.UKRAINE, user=coordinator
        )
    assert "niet operationeel" in str(exc.value)


# Ending ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [PlacementStatus.CANCELLED, PlacementStatus.DEPARTED])
def test_ending_a_placement_lowers_occupied_again(coordinator, status):
    location = location_with_room(capacity=10, occupied=5)
    placement = placement_create(
        location=location, people=3, target_group=TargetGroup.UKRAINE, user=coordinator
    )
    ended = placement_end(placement=placement, status=status, user=coordinator)
    assert CapacityReport.objects.get(location=location).occupied == 5
    assert (ended.status, ended.ended_by) == (status, coordinator)
    assert ended.ended_at is not None


def test_ending_never_lowers_occupied_below_zero(coordinator):
    location = location_with_room(capacity=10, occupied=5)
    placement = placement_create(
        location=location, people=3, target_group=TargetGroup.UKRAINE, user=coordinator
    )
    # A project leader counted the location again: only one person is still there.
    CapacityReport.objects.filter(location=location).update(occupied=1)
    placement_end(placement=placement, status=PlacementStatus.DEPARTED, user=coordinator)
    assert CapacityReport.objects.get(location=location).occupied == 0


def test_a_placement_ends_only_once(coordinator):
    location = location_with_room(capacity=10, occupied=5)
    placement = placement_create(
        location=location, people=3, target_group=TargetGroup.UKRAINE, user=coordinator
    )
    placement_end(placement=placement, status=PlacementStatus.CANCELLED, user=coordinator)
    with pytest.raises(ValidationError):
        placement_end(placement=placement, status=PlacementStatus.DEPARTED, user=coordinator)
    assert CapacityReport.objects.get(location=location).occupied == 5


def test_a_placement_cannot_end_as_placed(coordinator):
    location = location_with_room()
    placement = placement_create(
        location=location, people=1, target_group=TargetGroup.UKRAINE, user=coordinator
    )
    with pytest.raises(ValueError):
        placement_end(placement=placement, status=PlacementStatus.PLACED, user=coordinator)
