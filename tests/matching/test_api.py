import pytest
from django.utils import timezone

from capacity.choices import TargetGroup
from capacity.models import CapacityReport
from matching.choices import Category, PlacementStatus
from matching.models import Placement
from tests.factories import MunicipalityFactory, SafetyRegionFactory, UserFactory
from tests.problems import field_errors

from .factories import PlacementFactory, PlacementRequestFactory, location_with_room

pytestmark = pytest.mark.django_db

MATCHES = "/api/v1/matches"
PLACEMENTS = "/api/v1/placements"


@pytest.fixture
def enschede():
    return MunicipalityFactory(code="GM0153", name="Enschede")


@pytest.fixture
def hengelo():
    return MunicipalityFactory(code="GM0164", name="Hengelo")


@pytest.fixture
def as_coordinator(api_client, coordinator):
    api_client.force_authenticate(coordinator)
    return api_client


def test_matches_are_ranked_with_code_municipality_free_and_last_report(
    as_coordinator, enschede, hengelo
):
    location_with_room(code="HGL", municipality=hengelo, capacity=100, occupied=10)
    location_with_room(code="ENS", municipality=enschede, capacity=20, occupied=10)
    location_with_room(code="ENS-FULL", municipality=enschede, capacity=20, occupied=18)
    response = as_coordinator.get(
        MATCHES, {"target_group": "ukraine", "people": 5, "municipality": "GM0153"}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["location"], r["municipality"], r["free"]) for r in results] == [
        ("ENS", "GM0153", 10),
        ("HGL", "GM0164", 90),
    ]
    assert results[0]["last_report"] == timezone.localdate().isoformat()
    assert results[0]["preferred"] is True
    assert response.json()["count"] == 2


def test_matches_filter_on_needs(as_coordinator):
    location_with_room(code="PETS", pets=True)
    location_with_room(code="NOPETS")
    response = as_coordinator.get(MATCHES, {"target_group": "ukraine", "people": 1, "pets": "true"})
    assert [r["location"] for r in response.json()["results"]] == ["PETS"]
    assert response.json()["results"][0]["facilities"] == ["pets"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"people": 5}, "target_group"),
        ({"target_group": "ukraine"}, "people"),
        ({"target_group": "ukraine", "people": 0}, "people"),
        ({"target_group": "ukraine", "people": 501}, "people"),
        ({"target_group": "ukraine", "people": "five"}, "people"),
        ({"target_group": "dogs", "people": 5}, "target_group"),
        ({"target_group": "ukraine", "people": 5, "municipality": "GM9999"}, "municipality"),
        ({"target_group": "ukraine", "people": 5, "date": "31-12-2024"}, "date"),
    ],
)
def test_matches_refuse_bad_input_with_field_messages(as_coordinator, params, field):
    response = as_coordinator.get(MATCHES, params)
    assert response.status_code == 400
    assert field in field_errors(response)


def test_matches_of_another_region_municipality_are_refused(as_coordinator):
    MunicipalityFactory(code="GM0193", safety_region=SafetyRegionFactory(code="VR04"))
    response = as_coordinator.get(
        MATCHES, {"target_group": "ukraine", "people": 1, "municipality": "GM0193"}
    )
    assert response.status_code == 400


def test_matches_take_a_constant_number_of_queries(as_coordinator, django_assert_max_num_queries):
    for n in range(15):
        location_with_room(code=f"L{n:02d}")
    with django_assert_max_num_queries(8):
        response = as_coordinator.get(MATCHES, {"target_group": "ukraine", "people": 1})
    assert response.json()["count"] == 15


def test_a_project_leader_finds_only_own_municipality(api_client, project_leader, hengelo):
    enschede = project_leader.membership.municipality
    location_with_room(code="ENS", municipality=enschede)
    location_with_room(code="HGL", municipality=hengelo)
    api_client.force_authenticate(project_leader)
    response = api_client.get(MATCHES, {"target_group": "ukraine", "people": 1})
    assert [r["location"] for r in response.json()["results"]] == ["ENS"]


@pytest.mark.parametrize("fixture", ["secretary", "provincial_reader"])
def test_readers_and_secretaries_may_not_match(api_client, request, fixture):
    api_client.force_authenticate(request.getfixturevalue(fixture))
    assert api_client.get(MATCHES, {"target_group": "ukraine", "people": 1}).status_code == 403
    assert api_client.get(PLACEMENTS).status_code == 403
    location = location_with_room(code="X")
    response = api_client.post(
        PLACEMENTS, {"location": location.code, "people": 1, "target_group": "ukraine"}
    )
    assert response.status_code == 403
    assert CapacityReport.objects.get(location=location).occupied == 50


def test_anonymous_callers_get_401(api_client):
    assert api_client.get(MATCHES, {"target_group": "ukraine", "people": 1}).status_code == 401


def test_a_placement_gives_201_and_the_overview_reflects_it(
    as_coordinator, enschede, django_capture_on_commit_callbacks
):
    location_with_room(code="ENS", municipality=enschede, capacity=20, occupied=10)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_coordinator.post(
            PLACEMENTS,
            {"location": "ENS", "people": 5, "target_group": "ukraine", "category": "amv"},
            format="json",
        )
    assert callbacks, "the occupancy recompute is enqueued after the commit"
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["location"], body["municipality"], body["people"], body["status"]) == (
        "ENS",
        "GM0153",
        5,
        "placed",
    )
    assert body["category"] == Category.AMV
    assert body["placed_by"] == "coord"
    matches = as_coordinator.get(MATCHES, {"target_group": "ukraine", "people": 1}).json()
    assert matches["results"][0]["free"] == 5
    overview = as_coordinator.get(
        "/api/v1/overview", {"region": "VR05", "date": timezone.localdate().isoformat()}
    ).json()
    ukraine = next(g for g in overview["target_groups"] if g["target_group"] == "ukraine")
    assert ukraine["occupied"] == 15


def test_the_category_defaults_to_regular(as_coordinator):
    location_with_room(code="X")
    response = as_coordinator.post(
        PLACEMENTS, {"location": "X", "people": 1, "target_group": "ukraine"}, format="json"
    )
    assert response.json()["category"] == "regular"


def test_a_placement_without_room_gives_409(as_coordinator):
    location_with_room(code="X", capacity=10, occupied=8)
    response = as_coordinator.post(
        PLACEMENTS, {"location": "X", "people": 3, "target_group": "ukraine"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Er is geen plek meer")
    assert "nog 2 vrij" in response.json()["detail"]
    assert not Placement.objects.exists()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"location": "NOPE", "people": 1, "target_group": "ukraine"}, "location"),
        ({"location": "X", "people": 0, "target_group": "ukraine"}, "people"),
        ({"location": "X", "people": 1, "target_group": "asylum"}, "target_group"),
        ({"location": "X", "people": 1, "target_group": "ukraine", "category": "?"}, "category"),
        ({"location": "X", "people": 1, "target_group": "ukraine", "request": 999}, "request"),
    ],
)
def test_a_bad_placement_gives_400(as_coordinator, payload, field):
    location_with_room(code="X")
    response = as_coordinator.post(PLACEMENTS, payload, format="json")
    assert response.status_code == 400
    assert field in field_errors(response)


def test_a_placement_may_name_its_request(as_coordinator, coordinator):
    location_with_room(code="X")
    request = PlacementRequestFactory(region=coordinator.membership.safety_region)
    response = as_coordinator.post(
        PLACEMENTS,
        {"location": "X", "people": 1, "target_group": "ukraine", "request": request.pk},
        format="json",
    )
    assert response.status_code == 201
    assert Placement.objects.get().request == request


def test_a_project_leader_places_into_own_locations_only(api_client, project_leader, hengelo):
    location_with_room(code="ENS", municipality=project_leader.membership.municipality)
    location_with_room(code="HGL", municipality=hengelo)
    api_client.force_authenticate(project_leader)
    own = api_client.post(
        PLACEMENTS, {"location": "ENS", "people": 1, "target_group": "ukraine"}, format="json"
    )
    other = api_client.post(
        PLACEMENTS, {"location": "HGL", "people": 1, "target_group": "ukraine"}, format="json"
    )
    assert (own.status_code, other.status_code) == (201, 403)
    assert CapacityReport.objects.get(location__code="HGL").occupied == 50


def test_a_coordinator_may_not_place_outside_the_region(as_coordinator):
    other = MunicipalityFactory(code="GM0193", safety_region=SafetyRegionFactory(code="VR04"))
    location_with_room(code="ZWOLLE", municipality=other)
    response = as_coordinator.post(
        PLACEMENTS, {"location": "ZWOLLE", "people": 1, "target_group": "ukraine"}, format="json"
    )
    assert response.status_code == 403


def test_cancel_and_depart_free_the_places(as_coordinator):
    location = location_with_room(code="X", capacity=10, occupied=0)
    first = as_coordinator.post(
        PLACEMENTS, {"location": "X", "people": 4, "target_group": "ukraine"}, format="json"
    ).json()
    second = as_coordinator.post(
        PLACEMENTS, {"location": "X", "people": 3, "target_group": "ukraine"}, format="json"
    ).json()
    assert CapacityReport.objects.get(location=location).occupied == 7
    cancelled = as_coordinator.post(f"{PLACEMENTS}/{first['id']}/cancel")
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    departed = as_coordinator.post(f"{PLACEMENTS}/{second['id']}/depart")
    assert (departed.status_code, departed.json()["status"]) == (200, "departed")
    assert departed.json()["ended_by"] == "coord"
    assert CapacityReport.objects.get(location=location).occupied == 0
    again = as_coordinator.post(f"{PLACEMENTS}/{first['id']}/cancel")
    assert again.status_code == 409


def test_a_project_leader_may_not_end_another_municipalitys_placement(
    api_client, project_leader, hengelo
):
    placement = PlacementFactory(location=location_with_room(code="HGL", municipality=hengelo))
    api_client.force_authenticate(project_leader)
    assert api_client.post(f"{PLACEMENTS}/{placement.pk}/cancel").status_code == 403
    assert api_client.get(f"{PLACEMENTS}/{placement.pk}").status_code == 403
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.PLACED


def test_unknown_placements_give_404(as_coordinator):
    assert as_coordinator.get(f"{PLACEMENTS}/12345").status_code == 404
    assert as_coordinator.post(f"{PLACEMENTS}/12345/cancel").status_code == 404
    assert as_coordinator.get(f"{PLACEMENTS}/abc").status_code == 404


def test_the_placement_list_is_scoped_filtered_and_constant_in_queries(
    api_client, project_leader, hengelo, django_assert_max_num_queries
):
    coordinator = UserFactory(role="coordinator")
    ens = location_with_room(code="ENS", municipality=project_leader.membership.municipality)
    hgl = location_with_room(code="HGL", municipality=hengelo)
    for _ in range(5):
        PlacementFactory(location=ens, category=Category.THIRD_COUNTRY_UKRAINE)
        PlacementFactory(location=hgl)
    api_client.force_authenticate(coordinator)
    with django_assert_max_num_queries(8):
        everything = api_client.get(PLACEMENTS).json()
    assert everything["count"] == 10
    filtered = api_client.get(PLACEMENTS, {"category": "third_country_ukraine"}).json()
    assert {row["location"] for row in filtered["results"]} == {"ENS"}
    api_client.force_authenticate(project_leader)
    own = api_client.get(PLACEMENTS).json()
    assert {row["location"] for row in own["results"]} == {"ENS"}


def test_the_schema_documents_the_409(as_coordinator, coordinator):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(coordinator)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    post = schema["paths"]["/placements"]["post"]
    assert "409" in post["responses"]
    assert "/matches" in schema["paths"]


def test_the_target_group_must_match_the_location(as_coordinator):
    location_with_room(code="X", target_group=TargetGroup.ASYLUM)
    response = as_coordinator.post(
        PLACEMENTS, {"location": "X", "people": 1, "target_group": "ukraine"}, format="json"
    )
    assert response.status_code == 400
