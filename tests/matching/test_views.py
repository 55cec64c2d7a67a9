import pytest
from django.utils import timezone

from capacity.models import CapacityReport
from matching.choices import Category, PlacementStatus
from matching.models import Placement, PlacementRequest
from tests.factories import MunicipalityFactory, SafetyRegionFactory

from .factories import PlacementFactory, PlacementRequestFactory, location_with_room

pytestmark = pytest.mark.django_db

REQUEST = {
    "people": "3",
    "target_group": "ukraine",
    "category": "third_country_ukraine",
    "adults": "1",
    "children": "2",
    "household": "moeder met twee kinderen",
    "ground_floor": "on",
    "origin": "ter_apel",
    "arrival_date": "2024-03-01",
}


@pytest.fixture
def logged_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_nav_shows_matching_to_coordinators_only(client, coordinator, project_leader):
    client.force_login(coordinator)
    assert 'href="/matching/"' in client.get("/municipalities/").content.decode()
    client.force_login(project_leader)
    assert 'href="/matching/"' not in client.get("/municipalities/").content.decode()


@pytest.mark.parametrize("fixture", ["project_leader", "secretary", "provincial_reader"])
def test_other_roles_get_403_on_the_matching_pages(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    placement_request = PlacementRequestFactory()
    placement = PlacementFactory()
    assert client.get("/matching/").status_code == 403
    assert client.get("/matching/placements/").status_code == 403
    assert client.get(f"/matching/requests/{placement_request.pk}/").status_code == 403
    assert (
        client.post(
            f"/matching/placements/{placement.pk}/end/", {"status": "cancelled"}
        ).status_code
        == 403
    )


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/matching/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_request_is_recorded_and_shows_ranked_locations(logged_in, coordinator):
    location_with_room(
        code="GROUND",
        ground_floor=True,
        capacity=20,
        occupied=10,
        contact_name="Jan",
        contact_phone="053-1234567",
    )
    location_with_room(code="UPSTAIRS", capacity=20, occupied=0)
    response = logged_in.post("/matching/", REQUEST)
    placement_request = PlacementRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/matching/requests/{placement_request.pk}/"
    assert (placement_request.created_by, placement_request.category) == (
        coordinator,
        Category.THIRD_COUNTRY_UKRAINE,
    )
    page = logged_in.get(response["Location"]).content.decode()
    assert 'data-location="GROUND"' in page
    assert 'data-location="UPSTAIRS"' not in page  # no ground-floor rooms
    assert "053-1234567" in page
    assert timezone.localdate().strftime("%d-%m-%Y") in page


def test_a_bad_request_shows_dutch_errors(logged_in):
    response = logged_in.post("/matching/", {**REQUEST, "children": "5"})
    assert response.status_code == 200
    assert "samen moeten het aantal personen (3) zijn" in response.content.decode()
    assert not PlacementRequest.objects.exists()


def test_the_request_page_takes_a_constant_number_of_queries(
    logged_in, coordinator, django_assert_max_num_queries
):
    for n in range(10):
        location_with_room(code=f"L{n}")
    placement_request = PlacementRequestFactory(region=coordinator.membership.safety_region)
    for location_code in ["L1", "L2", "L3"]:
        PlacementFactory(location__code=location_code, request=placement_request)
    with django_assert_max_num_queries(12):
        response = logged_in.get(f"/matching/requests/{placement_request.pk}/")
    assert response.content.decode().count("data-location=") == 10


def test_placing_from_the_request_page_lowers_the_free_places(logged_in, coordinator):
    location = location_with_room(code="X", capacity=20, occupied=10)
    placement_request = PlacementRequestFactory(region=coordinator.membership.safety_region)
    response = logged_in.post(
        f"/matching/requests/{placement_request.pk}/place/",
        {"location": "X", "people": "3", "category": "third_country_ukraine"},
        follow=True,
    )
    page = response.content.decode()
    assert "3 personen geplaatst in" in page
    placement = Placement.objects.get()
    assert (placement.request, placement.people, placement.category) == (
        placement_request,
        3,
        Category.THIRD_COUNTRY_UKRAINE,
    )
    assert CapacityReport.objects.get(location=location).occupied == 13
    assert 'data-placement="' in page


def test_placing_without_room_tells_how_many_are_left(logged_in, coordinator):
    location_with_room(code="X", capacity=20, occupied=19)
    placement_request = PlacementRequestFactory(region=coordinator.membership.safety_region)
    response = logged_in.post(
        f"/matching/requests/{placement_request.pk}/place/",
        {"location": "X", "people": "3", "category": "regular"},
        follow=True,
    )
    assert "Er is geen plek meer in" in response.content.decode()
    assert "nog 1 vrij" in response.content.decode()
    assert not Placement.objects.exists()


def test_placing_with_a_bad_number_gives_400(logged_in, coordinator):
    location_with_room(code="X")
    placement_request = PlacementRequestFactory(region=coordinator.membership.safety_region)
    response = logged_in.post(
        f"/matching/requests/{placement_request.pk}/place/",
        {"location": "X", "people": "-2", "category": "regular"},
    )
    assert response.status_code == 400
    assert not Placement.objects.exists()


def test_another_regions_request_and_location_are_refused(logged_in, coordinator):
    other = SafetyRegionFactory(code="VR04", name="IJsselland")
    foreign_request = PlacementRequestFactory(region=other)
    assert logged_in.get(f"/matching/requests/{foreign_request.pk}/").status_code == 403
    location_with_room(code="ZWOLLE", municipality=MunicipalityFactory(safety_region=other))
    own_request = PlacementRequestFactory(region=coordinator.membership.safety_region)
    response = logged_in.post(
        f"/matching/requests/{own_request.pk}/place/",
        {"location": "ZWOLLE", "people": "1", "category": "regular"},
    )
    assert response.status_code == 403
    assert not Placement.objects.exists()


def test_the_placements_page_lists_counts_per_municipality_and_category(logged_in):
    enschede = MunicipalityFactory(code="GM0153", name="Enschede")
    location = location_with_room(code="ENS", municipality=enschede)
    PlacementFactory(location=location, people=4, category=Category.THIRD_COUNTRY_UKRAINE)
    PlacementFactory(location=location, people=2, category=Category.THIRD_COUNTRY_UKRAINE)
    PlacementFactory(
        location=location,
        people=9,
        status=PlacementStatus.CANCELLED,
        ended_at=timezone.now(),
    )
    response = logged_in.get("/matching/placements/")
    page = response.content.decode()
    counts = page.split('data-testid="placement-counts"')[1].split("</table>")[0]
    assert "Enschede" in counts
    assert "Derdelanders" in counts
    assert ">6<" in counts  # 4 + 2 placed; the cancelled 9 do not count
    assert page.count("data-placement=") == 3
    filtered = logged_in.get("/matching/placements/", {"status": "cancelled"}).content.decode()
    assert filtered.count("data-placement=") == 1


def test_ending_a_placement_from_the_list_frees_the_places(logged_in, coordinator):
    from matching.services import placement_create

    location = location_with_room(code="X", capacity=20, occupied=10)
    placement = placement_create(
        location=location, people=3, target_group="ukraine", user=coordinator
    )
    response = logged_in.post(
        f"/matching/placements/{placement.pk}/end/", {"status": "departed"}, follow=True
    )
    assert "is vertrokken" in response.content.decode()
    assert CapacityReport.objects.get(location=location).occupied == 10
    again = logged_in.post(
        f"/matching/placements/{placement.pk}/end/", {"status": "cancelled"}, follow=True
    )
    assert "al vertrokken" in again.content.decode()
    assert CapacityReport.objects.get(location=location).occupied == 10


def test_ending_redirects_only_within_matching(logged_in):
    placement = PlacementFactory(location=location_with_room(code="X"))
    response = logged_in.post(
        f"/matching/placements/{placement.pk}/end/",
        {"status": "cancelled", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/matching/placements/"
