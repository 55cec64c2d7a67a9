"""Locations yet to open are named only to the region's coordinators and their own
municipality's project leaders (capacity/discretion.py), on every surface: the location
pages, the dashboard's map, the API, the minutes; everybody else sees a number per
municipality.

The done-when check of issue 23: a project leader of Borne does not see another
municipality's planned location anywhere.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from capacity.choices import LocationStatus, TargetGroup
from capacity.discretion import may_name, named_only, undisclosed_counts
from capacity.models import CapacityReport, Location
from tests.capacity.factories import LocationFactory
from tests.factories import MunicipalityFactory, SafetyRegionFactory, UserFactory
from tests.meetings.factories import AgendaItemFactory, BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SECRET = "Plangeheim"


@pytest.fixture
def twente(db):
    region = SafetyRegionFactory(code="VR05", name="Twente")
    borne = MunicipalityFactory(code="GM0147", name="Borne", safety_region=region)
    hengelo = MunicipalityFactory(code="GM0164", name="Hengelo", safety_region=region)
    planned = LocationFactory(
        code="HGL-PLAN",
        name=f"Kazerne {SECRET}",
        place=f"{SECRET}-dorp",
        municipality=hengelo,
        status=LocationStatus.PLANNED,
        target_group=TargetGroup.ASYLUM,
        latitude="52.2650",
        longitude="6.7930",
        planned_capacity=150,
    )
    # Operational by its stored status, but its opening date is still to come: in preparation.
    preparing = LocationFactory(
        code="HGL-PREP",
        name=f"Hotel {SECRET}",
        municipality=hengelo,
        status=LocationStatus.OPERATIONAL,
        opened_on=TODAY + datetime.timedelta(days=20),
        latitude="52.2700",
        longitude="6.8000",
    )
    public = LocationFactory(
        code="HGL-AZC",
        name="AZC Hengelo",
        municipality=hengelo,
        latitude="52.2600",
        longitude="6.7900",
    )
    CapacityReport.objects.create(
        location=public, date=TODAY, capacity=250, occupied=200, source="form"
    )
    CapacityReport.objects.create(
        location=preparing, date=TODAY, capacity=40, occupied=0, source="form"
    )
    own_planned = LocationFactory(
        code="BRN-PLAN",
        name="Borne eigen plan",
        municipality=borne,
        status=LocationStatus.PREPARING,
        latitude="52.3000",
        longitude="6.7500",
    )
    users = {
        "coordinator": UserFactory(role="coordinator", scope__region=region),
        "borne": UserFactory(role="project_leader", scope__municipality=borne),
        "hengelo": UserFactory(role="project_leader", scope__municipality=hengelo),
        "secretary": UserFactory(role="secretary", scope__region=region),
        "provincial_reader": UserFactory(role="provincial_reader", scope__region=region),
    }
    return {
        "region": region,
        "planned": planned,
        "preparing": preparing,
        "public": public,
        "own_planned": own_planned,
        "users": users,
    }


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


NAMES = ("hengelo", "coordinator")
NOT_NAMED = ("borne", "secretary", "provincial_reader")


@pytest.mark.parametrize("who", NAMES)
def test_the_coordinator_and_the_own_project_leader_may_name_it(twente, who):
    user = twente["users"][who]
    assert may_name(user, twente["planned"]) and may_name(user, twente["preparing"])
    codes = set(named_only(user, Location.objects.all()).values_list("code", flat=True))
    assert {"HGL-PLAN", "HGL-PREP", "HGL-AZC"} <= codes


@pytest.mark.parametrize("who", NOT_NAMED)
def test_others_may_not_name_it(twente, who):
    user = twente["users"][who]
    assert not may_name(user, twente["planned"])
    assert not may_name(user, twente["preparing"])
    assert may_name(user, twente["public"])
    codes = set(named_only(user, Location.objects.all()).values_list("code", flat=True))
    assert "HGL-PLAN" not in codes and "HGL-PREP" not in codes and "HGL-AZC" in codes


def test_a_location_that_opened_since_is_public_also_on_an_earlier_date(twente):
    location = twente["preparing"]
    location.opened_on = TODAY - datetime.timedelta(days=1)
    location.save()
    user = twente["users"]["borne"]
    assert may_name(user, location)
    response = client_of(user).get(
        "/dashboard/map/", {"date": (TODAY - datetime.timedelta(days=5)).isoformat()}
    )
    assert "HGL-PREP" in {point["code"] for point in response.json()}


def test_a_location_past_its_contract_end_is_public(twente):
    location = twente["planned"]
    location.contract_end = TODAY - datetime.timedelta(days=1)
    location.save()
    assert may_name(twente["users"]["secretary"], location)


def test_the_others_see_a_number_per_municipality(twente):
    assert undisclosed_counts(twente["users"]["borne"], region_code="VR05") == [
        {"municipality": "GM0164", "name": "Hengelo", "locations": 2}
    ]
    assert undisclosed_counts(twente["users"]["secretary"], region_code="VR05") == [
        {"municipality": "GM0147", "name": "Borne", "locations": 1},
        {"municipality": "GM0164", "name": "Hengelo", "locations": 2},
    ]
    assert undisclosed_counts(twente["users"]["coordinator"], region_code="VR05") == []


def _everything_borne_reads(client: Client, twente) -> dict[str, str]:
    """Every surface that lists or names locations, as Borne's project leader asks it."""
    pages = {}
    for url in (
        "/",
        "/?date=" + (TODAY - datetime.timedelta(days=3)).isoformat(),
        "/dashboard/map/",
        "/dashboard/map/?date=" + (TODAY - datetime.timedelta(days=3)).isoformat(),
        "/dashboard/print/",
        "/dashboard/export/?table=municipalities&format=csv",
        "/dashboard/export/?table=target_groups&format=csv",
        "/locations/",
        "/locations/?municipality=GM0164",
        "/locations/?search=PLAN",
        "/counts/",
        "/api/v1/locations",
        "/api/v1/locations?municipality=GM0164&status=planned",
        "/api/v1/capacity-reports",
        "/api/v1/capacity-reports?location=HGL-PREP",
        "/api/v1/overview?region=VR05",
        "/api/v1/capacity-outlook",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode("utf-8", "replace")
    return pages


def test_a_project_leader_of_borne_sees_no_planned_location_of_hengelo_anywhere(twente):
    client = client_of(twente["users"]["borne"])
    for url, text in _everything_borne_reads(client, twente).items():
        for marker in (SECRET, "HGL-PLAN", "HGL-PREP", "52.265", "6.793"):
            assert marker not in text, f"{url} shows {marker}"
    # By their code they do not exist (404, not 403: a 403 would say they do).
    preparing_report = CapacityReport.objects.get(location=twente["preparing"])
    for url in (
        "/locations/HGL-PLAN/",
        "/locations/HGL-PREP/",
        "/api/v1/locations/HGL-PLAN",
        "/api/v1/locations/HGL-PREP?date=2020-01-01",
        f"/api/v1/capacity-reports/{preparing_report.pk}",
    ):
        assert client.get(url).status_code == 404, url
    # The own municipality's planned location is theirs to see, and the dashboard gives
    # Hengelo's as a number.
    assert "BRN-PLAN" in {point["code"] for point in client.get("/dashboard/map/").json()}
    dashboard = client.get("/").content.decode()
    assert 'data-testid="undisclosed"' in dashboard and "Hengelo: 2 locaties" in dashboard


@pytest.mark.parametrize("who", NAMES)
def test_the_coordinator_and_hengelos_project_leader_see_it(twente, who):
    client = client_of(twente["users"][who])
    response = client.get("/")
    points = client.get("/dashboard/map/").json()
    assert {"HGL-PLAN", "HGL-PREP"} <= {point["code"] for point in points}
    assert 'data-testid="undisclosed"' not in response.content.decode() or who == "hengelo"
    assert client.get("/locations/HGL-PLAN/").status_code == 200
    listed = client.get("/api/v1/locations").json()
    rows = listed.get("results", listed) if isinstance(listed, dict) else listed
    assert "HGL-PLAN" in {row["code"] for row in rows}


@pytest.mark.parametrize("who", ("secretary", "provincial_reader"))
def test_secretaries_and_provincial_readers_see_the_public_locations_only(twente, who):
    client = client_of(twente["users"][who])
    listed = client.get("/api/v1/locations").json()
    rows = listed.get("results", listed) if isinstance(listed, dict) else listed
    assert {row["code"] for row in rows} == {"HGL-AZC"}
    assert client.get("/api/v1/locations/HGL-AZC").status_code == 200
    assert client.get("/api/v1/locations/BRN-PLAN").status_code == 404


def test_the_minutes_name_a_planned_location_only_to_who_may_name_it(twente):
    body = BodyFactory(code="TRA", name="Regietafel", safety_region=twente["region"])
    meeting = MeetingFactory(body=body, date=TODAY - datetime.timedelta(days=2))
    item = AgendaItemFactory(meeting=meeting, title="Nieuwe locaties")
    item.locations.add(twente["planned"], twente["public"])
    for who, sees in (("borne", False), ("secretary", False), ("coordinator", True)):
        client = client_of(twente["users"][who])
        detail = client.get(f"/api/v1/meetings/{meeting.pk}").json()
        codes = {code for row in detail["agenda_items"] for code in row["locations"]}
        assert ("HGL-PLAN" in codes) is sees, who
        assert "HGL-AZC" in codes
        page = client.get(f"/meetings/{meeting.pk}/")
        if page.status_code == 200:
            assert (SECRET in page.content.decode()) is sees, who


def test_the_map_points_cost_no_extra_query(twente, django_assert_max_num_queries):
    from twente.dashboard.selectors import map_locations

    user = twente["users"]["borne"]
    user.groups.all()  # roles and membership are read once per request, like a page does
    named_only(user, Location.objects.none())
    with django_assert_max_num_queries(1):
        points = map_locations(region_code="VR05", on=TODAY, viewer=user)
    assert {point["code"] for point in points} == {"HGL-AZC", "BRN-PLAN"}


def test_the_location_list_gives_the_hidden_ones_as_a_number(twente):
    page = client_of(twente["users"]["secretary"]).get("/locations/").content.decode()
    assert SECRET not in page and "BRN-PLAN" not in page
    assert "Hengelo: 2 locaties" in page and "Borne: 1 locatie" in page
    coordinator = client_of(twente["users"]["coordinator"]).get("/locations/").content.decode()
    assert 'data-testid="undisclosed"' not in coordinator and SECRET in coordinator


def test_the_cached_map_points_of_one_reader_never_reach_another(twente):
    """The map's points are cached per region: who may name the locations yet to open is part
    of the key and the ETag, so the coordinator's copy does not serve Borne's project leader."""
    coordinator = client_of(twente["users"]["coordinator"])
    shown = coordinator.get("/dashboard/map/")
    assert "HGL-PLAN" in {point["code"] for point in shown.json()}

    borne = client_of(twente["users"]["borne"])
    assert borne.get("/dashboard/map/", HTTP_IF_NONE_MATCH=shown["ETag"]).status_code == 200
    assert "HGL-PLAN" not in {point["code"] for point in borne.get("/dashboard/map/").json()}
