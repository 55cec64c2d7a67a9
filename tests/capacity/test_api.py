import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from capacity.models import CapacityReport, Location
from capacity.selectors import realised_places
from tests.factories import MunicipalityFactory, UserFactory
from tests.problems import field_errors

from .factories import CapacityReportFactory, LocationFactory

TODAY = timezone.localdate()
DAY = datetime.date(2023, 3, 6)


@pytest.fixture
def enschede(project_leader):
    return project_leader.membership.municipality


@pytest.fixture
def hengelo(db):
    return MunicipalityFactory(code="GM0164", name="Hengelo")


@pytest.fixture
def own(enschede):
    return LocationFactory(code="CNO-ENS-01", municipality=enschede, type="cno")


@pytest.fixture
def foreign(hengelo):
    return LocationFactory(code="AZC-HGL", municipality=hengelo, type="azc")


def post_report(api_client, location="CNO-ENS-01", **body):
    payload = {"location": location, "date": DAY.isoformat(), "capacity": 60, "occupied": 57}
    return api_client.post("/api/v1/capacity-reports", {**payload, **body}, format="json")


# Capacity reports ---------------------------------------------------------------------------


def test_a_project_leader_posts_a_report_with_a_token(
    api_client, project_leader, own, django_capture_on_commit_callbacks
):
    token = Token.objects.create(user=project_leader)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_report(api_client)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["location"] == "CNO-ENS-01"
    assert (body["capacity"], body["occupied"], body["reserved"], body["free"]) == (60, 57, 0, 3)
    assert body["source"] == "api" and body["reported_by"] == "pl-enschede"
    assert len(callbacks) == 1  # the recompute was enqueued after commit
    assert realised_places(on=DAY) == {("GM0153", "asylum"): 60}
    report = CapacityReport.objects.get()
    assert report.history.get().history_user == project_leader


def test_a_second_post_the_same_day_updates_and_answers_200(api_client, project_leader, own):
    api_client.force_authenticate(project_leader)
    assert post_report(api_client).status_code == 201
    response = post_report(api_client, occupied=50)
    assert response.status_code == 200
    assert CapacityReport.objects.get().occupied == 50


def test_another_municipalitys_location_gives_403(api_client, project_leader, foreign):
    api_client.force_authenticate(project_leader)
    response = post_report(api_client, location="AZC-HGL")
    assert response.status_code == 403
    # Even with impossible numbers, the answer is about permission.
    assert post_report(api_client, location="AZC-HGL", occupied=99).status_code == 403
    assert not CapacityReport.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"capacity": 60, "occupied": 65},
            "occupied",
            "Bezet (65) kan niet hoger zijn dan de capaciteit (60).",
        ),
        ({"capacity": -1}, "capacity", "Een aantal kan niet negatief zijn."),
        ({"occupied": -5}, "occupied", "Een aantal kan niet negatief zijn."),
        (
            {"date": (TODAY + datetime.timedelta(days=1)).isoformat()},
            "date",
            "Een datum in de toekomst kan niet.",
        ),
        ({"reserved": 4}, "reserved", None),
    ],
)
def test_impossible_reports_give_400_with_field_messages(
    api_client, project_leader, own, body, field, message
):
    api_client.force_authenticate(project_leader)
    response = post_report(api_client, **body)
    assert response.status_code == 400
    errors = field_errors(response)
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert not CapacityReport.objects.exists()


def test_missing_fields_and_unknown_locations_give_400(api_client, project_leader, own):
    api_client.force_authenticate(project_leader)
    response = api_client.post(
        "/api/v1/capacity-reports", {"location": "CNO-ENS-01"}, format="json"
    )
    assert response.status_code == 400
    assert {"date", "capacity", "occupied"} <= set(field_errors(response))
    assert post_report(api_client, location="NOPE").status_code == 400


def test_a_provincial_reader_reads_but_cannot_write(api_client, provincial_reader, own):
    CapacityReportFactory(location=own, date=DAY)
    api_client.force_authenticate(provincial_reader)
    assert api_client.get("/api/v1/capacity-reports").json()["count"] == 1
    assert post_report(api_client).status_code == 403
    response = api_client.patch("/api/v1/locations/CNO-ENS-01", {"name": "x"}, format="json")
    assert response.status_code == 403


def test_a_coordinator_reports_for_every_municipality_of_the_region(
    api_client, coordinator, own, foreign
):
    api_client.force_authenticate(coordinator)
    assert post_report(api_client, location="AZC-HGL").status_code == 201
    assert post_report(api_client, location="CNO-ENS-01").status_code == 201


def test_reports_are_filtered_by_location_and_date(api_client, coordinator, own, foreign):
    for day in (datetime.date(2023, 1, 2), DAY, datetime.date(2023, 4, 3)):
        CapacityReportFactory(location=own, date=day)
    CapacityReportFactory(location=foreign, date=DAY)
    api_client.force_authenticate(coordinator)
    response = api_client.get(
        "/api/v1/capacity-reports",
        {"location": "CNO-ENS-01", "date_after": "2023-02-01", "date_before": "2023-03-31"},
    )
    results = response.json()["results"]
    assert [(r["location"], r["date"]) for r in results] == [("CNO-ENS-01", "2023-03-06")]


def test_a_project_leader_only_lists_their_own_reports(api_client, project_leader, own, foreign):
    CapacityReportFactory(location=own, date=DAY)
    other = CapacityReportFactory(location=foreign, date=DAY)
    api_client.force_authenticate(project_leader)
    results = api_client.get("/api/v1/capacity-reports").json()["results"]
    assert [r["location"] for r in results] == ["CNO-ENS-01"]
    assert api_client.get(f"/api/v1/capacity-reports/{other.pk}").status_code == 403


def test_reports_cannot_be_deleted(api_client, coordinator, own):
    report = CapacityReportFactory(location=own, date=DAY)
    api_client.force_authenticate(coordinator)
    assert api_client.delete(f"/api/v1/capacity-reports/{report.pk}").status_code == 405
    assert CapacityReport.objects.filter(pk=report.pk).exists()


def test_report_list_uses_a_constant_number_of_queries(
    api_client, coordinator, enschede, django_assert_max_num_queries
):
    for _ in range(30):
        CapacityReportFactory(
            location=LocationFactory(municipality=enschede), date=DAY, reported_by=coordinator
        )
    api_client.force_authenticate(coordinator)
    with django_assert_max_num_queries(6):
        response = api_client.get("/api/v1/capacity-reports?page_size=100")
    assert response.json()["count"] == 30


# Locations ----------------------------------------------------------------------------------


LOCATION = {
    "code": "CNO-ENS-02",
    "name": "CNO De Es",
    "municipality": "GM0153",
    "place": "Enschede",
    "type": "cno",
    "target_group": "asylum",
    "status": "operational",
    "contract_end": "2023-07-31",
}


def test_locations_are_filtered_as_design_md_says(api_client, coordinator, own, foreign):
    CapacityReportFactory(location=own, date=DAY, capacity=59, occupied=56)
    api_client.force_authenticate(coordinator)
    body = api_client.get(
        "/api/v1/locations", {"municipality": "GM0153", "type": "cno", "status": "operational"}
    ).json()
    assert [row["code"] for row in body["results"]] == ["CNO-ENS-01"]
    row = body["results"][0]
    assert (row["municipality"], row["capacity"], row["occupied"], row["report_date"]) == (
        "GM0153",
        59,
        56,
        "2023-03-06",
    )
    assert api_client.get("/api/v1/locations", {"target_group": "ukraine"}).json()["count"] == 0


def test_a_location_is_addressed_by_its_code(api_client, coordinator, own):
    api_client.force_authenticate(coordinator)
    assert api_client.get("/api/v1/locations/CNO-ENS-01").json()["code"] == "CNO-ENS-01"
    assert api_client.get("/api/v1/locations/NOPE").status_code == 404


def test_a_project_leader_creates_and_edits_own_locations(api_client, project_leader, enschede):
    api_client.force_authenticate(project_leader)
    response = api_client.post("/api/v1/locations", LOCATION, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["version"] == 1
    response = api_client.patch(
        "/api/v1/locations/CNO-ENS-02", {"status": "winding_down", "version": 1}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "winding_down"
    assert response.json()["version"] == 2
    assert Location.objects.get(code="CNO-ENS-02").history.count() == 2


def test_a_project_leader_cannot_touch_another_municipalitys_locations(
    api_client, project_leader, foreign, hengelo
):
    api_client.force_authenticate(project_leader)
    response = api_client.post(
        "/api/v1/locations", {**LOCATION, "municipality": "GM0164"}, format="json"
    )
    assert response.status_code == 403
    assert api_client.get("/api/v1/locations/AZC-HGL").status_code == 403
    response = api_client.patch("/api/v1/locations/AZC-HGL", {"name": "x"}, format="json")
    assert response.status_code == 403
    assert api_client.get("/api/v1/locations").json()["count"] == 0


def test_a_project_leader_cannot_move_a_location_away(api_client, project_leader, own, hengelo):
    api_client.force_authenticate(project_leader)
    response = api_client.patch(
        "/api/v1/locations/CNO-ENS-01", {"municipality": "GM0164"}, format="json"
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.municipality.code == "GM0153"


def test_location_validation_gives_400(api_client, coordinator, own):
    api_client.force_authenticate(coordinator)
    response = api_client.post(
        "/api/v1/locations", {**LOCATION, "opened_on": "2023-09-01"}, format="json"
    )
    assert response.status_code == 400
    assert field_errors(response)["contract_end"] == [
        "De einddatum kan niet voor de openingsdatum liggen."
    ]
    response = api_client.patch("/api/v1/locations/CNO-ENS-01", {"code": "OTHER"}, format="json")
    assert response.status_code == 400
    assert (
        api_client.post(
            "/api/v1/locations", {**LOCATION, "code": "CNO-ENS-01"}, format="json"
        ).status_code
        == 400
    )


def test_locations_cannot_be_deleted(api_client, coordinator, own):
    api_client.force_authenticate(coordinator)
    assert api_client.delete("/api/v1/locations/CNO-ENS-01").status_code == 405


def test_location_list_uses_a_constant_number_of_queries(
    api_client, coordinator, enschede, django_assert_max_num_queries
):
    for _ in range(30):
        CapacityReportFactory(location=LocationFactory(municipality=enschede), date=DAY)
    api_client.force_authenticate(coordinator)
    with django_assert_max_num_queries(6):
        response = api_client.get("/api/v1/locations?page_size=100")
    assert response.json()["count"] == 30


def test_anonymous_callers_get_401(api_client, db):
    assert api_client.get("/api/v1/locations").status_code == 401
    assert api_client.post("/api/v1/capacity-reports", {}).status_code == 401


# Outlook ------------------------------------------------------------------------------------


def test_the_outlook_endpoint(api_client, provincial_reader, own):
    own.contract_end = datetime.date(2023, 7, 31)
    own.save()
    CapacityReportFactory(location=own, date=DAY, capacity=59)
    api_client.force_authenticate(provincial_reader)
    response = api_client.get(
        "/api/v1/capacity-outlook", {"region": "VR05", "start": "2023-06-01", "months": 3}
    )
    assert response.status_code == 200
    body = response.json()
    asylum = [row for row in body["months"] if row["target_group"] == "asylum"]
    assert [(row["month"], row["places"]) for row in asylum] == [
        ("2023-06-01", 59),
        ("2023-07-01", 59),
        ("2023-08-01", 0),
    ]
    assert api_client.get("/api/v1/capacity-outlook", {"months": 99}).status_code == 400
    assert api_client.get("/api/v1/capacity-outlook", {"region": "VR99"}).status_code == 400


def test_the_schema_documents_the_capacity_endpoints(api_client, coordinator):
    api_client.force_authenticate(UserFactory(role="coordinator"))
    schema = api_client.get("/api/schema/?format=json").json()
    assert "/capacity-reports" in schema["paths"]
    assert "/locations/{code}" in schema["paths"]


def test_locations_show_their_state_on_the_chosen_date(api_client, coordinator, own, foreign):
    Location.objects.filter(pk=own.pk).update(contract_end=datetime.date(2023, 7, 31))
    api_client.force_authenticate(coordinator)

    def states(**params):
        response = api_client.get("/api/v1/locations", params)
        assert response.status_code == 200, response.content
        return {row["code"]: row["effective_status"] for row in response.json()["results"]}

    assert states(date="2023-07-31") == {"AZC-HGL": "operational", "CNO-ENS-01": "operational"}
    assert states(date="2023-08-01")["CNO-ENS-01"] == "contract_ended"
    assert states()["CNO-ENS-01"] == "contract_ended"  # default today
    assert states(date="2023-08-01", effective_status="operational") == {"AZC-HGL": "operational"}
    # The stored status stays what it is.
    detail = api_client.get("/api/v1/locations/CNO-ENS-01", {"date": "2023-08-01"}).json()
    assert (detail["status"], detail["effective_status"]) == ("operational", "contract_ended")


def test_a_malformed_date_for_the_locations_gives_400(api_client, coordinator, own):
    api_client.force_authenticate(coordinator)

    response = api_client.get("/api/v1/locations", {"date": "31-07-2023"})

    assert response.status_code == 400
    assert "date" in field_errors(response)
