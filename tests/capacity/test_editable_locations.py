"""One selector for the locations a user may write (counts and placements): what the API's
forms offer, while every write still checks the location itself on the server."""

import pytest
from rest_framework.test import APIRequestFactory

from capacity.api import CapacityReportSerializer
from capacity.permissions import editable_locations
from matching.api import PlacementSerializer
from tests.factories import MunicipalityFactory, SafetyRegionFactory, UserFactory

from .factories import LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    twente = SafetyRegionFactory(code="VR05", name="Twente")
    ijsselland = SafetyRegionFactory(code="VR04", name="IJsselland")
    enschede = MunicipalityFactory(code="GM0153", name="Enschede", safety_region=twente)
    hengelo = MunicipalityFactory(code="GM0164", name="Hengelo", safety_region=twente)
    zwolle = MunicipalityFactory(code="GM0193", name="Zwolle", safety_region=ijsselland)
    for code, municipality in (("ENS-B", enschede), ("ENS-A", enschede), ("HGL", hengelo)):
        LocationFactory(code=code, municipality=municipality)
    LocationFactory(code="ZWL", municipality=zwolle)
    return {"twente": twente, "enschede": enschede, "hengelo": hengelo, "zwolle": zwolle}


def _user(world, role, municipality=None):
    municipality = world[municipality] if municipality else None
    return UserFactory(role=role, scope__region=world["twente"], scope__municipality=municipality)


def _codes(user) -> list[str]:
    return list(editable_locations(user).values_list("code", flat=True))


def test_a_coordinator_may_write_the_regions_locations_only(world, django_assert_num_queries):
    user = _user(world, "coordinator")
    _codes(user)  # the membership is read once per user and then kept
    with django_assert_num_queries(1):
        assert _codes(user) == ["ENS-A", "ENS-B", "HGL"]


def test_a_project_leader_may_write_the_own_municipalitys_locations_only(world):
    assert _codes(_user(world, "project_leader", "enschede")) == ["ENS-A", "ENS-B"]


@pytest.mark.parametrize("role", ["secretary", "provincial_reader"])
def test_reading_roles_may_write_no_location(world, role):
    assert _codes(_user(world, role, "enschede")) == []


def test_a_user_without_a_role_or_membership_may_write_no_location(world):
    assert _codes(UserFactory(username="nobody")) == []
    assert _codes(_user(world, "", "enschede")) == []


@pytest.mark.parametrize("serializer", [CapacityReportSerializer, PlacementSerializer])
@pytest.mark.parametrize(
    ("role", "municipality", "offered"),
    [
        ("coordinator", None, ["ENS-A", "ENS-B", "HGL"]),
        ("project_leader", "hengelo", ["HGL"]),
        ("secretary", None, []),
    ],
)
def test_the_reports_and_placements_forms_offer_the_editable_locations(
    world, serializer, role, municipality, offered
):
    request = APIRequestFactory().get("/")
    request.user = _user(world, role, municipality)
    field = serializer(context={"request": request}).fields["location"]
    assert list(field.get_choices()) == offered


def test_a_project_leader_may_not_report_for_another_municipality(api_client, world):
    api_client.force_authenticate(_user(world, "project_leader", "enschede"))
    report = {"date": "2023-01-02", "capacity": 10, "occupied": 5}
    own = api_client.post("/api/v1/capacity-reports", {**report, "location": "ENS-A"})
    other = api_client.post("/api/v1/capacity-reports", {**report, "location": "HGL"})
    foreign = api_client.post("/api/v1/capacity-reports", {**report, "location": "ZWL"})
    assert (own.status_code, other.status_code, foreign.status_code) == (201, 403, 403)


def test_a_secretary_may_not_report_or_place(api_client, world):
    api_client.force_authenticate(_user(world, "secretary"))
    report = {"date": "2023-01-02", "capacity": 10, "occupied": 5, "location": "ENS-A"}
    placement = {"location": "ENS-A", "people": 1, "target_group": "asylum"}
    assert api_client.post("/api/v1/capacity-reports", report).status_code == 403
    assert api_client.post("/api/v1/placements", placement).status_code == 403


def test_a_coordinator_may_not_place_into_another_regions_location(api_client, world):
    api_client.force_authenticate(_user(world, "coordinator"))
    placement = {"location": "ZWL", "people": 1, "target_group": "asylum"}
    assert api_client.post("/api/v1/placements", placement).status_code == 403
