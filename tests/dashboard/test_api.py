"""`GET /api/v1/overview`: the DESIGN.md contract, validation, scope, ETag and exports."""

import csv
import io

import openpyxl
import pytest
from rest_framework.authtoken.models import Token

from capacity.choices import LocationType, TargetGroup
from municipalities.models import Municipality, SafetyRegion
from tests.dashboard.factories import (
    adopted_task,
    days_ago,
    location_with_reports,
    snapshots_recompute,
    today,
)
from tests.factories import UserFactory
from tests.problems import field_errors

URL = "/api/v1/overview"
FIELDS = {
    "target_group",
    "required",
    "operational",
    "occupied",
    "occupancy_rate",
    "gap",
    "realisation",
    "realised",
    "linked",
    "carried_over",
    "location_types",
}


@pytest.fixture
def coordinator_api(api_client, region):
    api_client.force_authenticate(UserFactory(username="coord", role="coordinator"))
    return api_client


def _asylum_in_twente() -> None:
    adopted_task(code="asylum-2024-01", total=2164, deadline=today())
    location_with_reports("AZC-ALM", "GM0141", [(days_ago(3), 394, 374)])
    location_with_reports("CNO-ENS", "GM0153", [(days_ago(3), 743, 626)])
    snapshots_recompute()


def test_it_answers_the_documented_shape(coordinator_api):
    _asylum_in_twente()

    response = coordinator_api.get(URL, {"region": "VR05", "date": today().isoformat()})

    assert response.status_code == 200
    body = response.json()
    assert body["region"] == "VR05" and body["date"] == today().isoformat()
    assert [row["target_group"] for row in body["target_groups"]] == TargetGroup.values
    assert body["target_groups"][0] == {
        "target_group": "asylum",
        "required": 2164,
        "operational": 1137,
        "occupied": 1000,
        "occupancy_rate": 0.88,
        "gap": 1027,
        "realisation": "places",
        "realised": 1137,
        "location_types": list(LocationType.values),  # a task that states none counts all
        "linked": None,
        "carried_over": None,
    }
    assert len(body["municipalities"]) == 14
    almelo = next(m for m in body["municipalities"] if m["municipality"] == "GM0141")
    assert almelo["name"] == "Almelo"
    assert [set(group) for group in almelo["target_groups"]] == [FIELDS] * 3
    assert almelo["target_groups"][0]["operational"] == 394
    assert almelo["target_groups"][0]["gap"] == almelo["target_groups"][0]["required"] - 394
    assert sum(m["target_groups"][0]["required"] for m in body["municipalities"]) == 2164


def test_without_a_task_required_and_gap_are_null(coordinator_api):
    body = coordinator_api.get(URL).json()

    assert body["target_groups"][2] == {
        "target_group": "ukraine",
        "required": None,
        "operational": 0,
        "occupied": 0,
        "occupancy_rate": None,
        "gap": None,
        "realisation": "places",
        "realised": 0,
        "location_types": None,
        "linked": None,
        "carried_over": None,
    }


def test_region_and_date_default_to_the_callers_region_and_today(coordinator_api):
    body = coordinator_api.get(URL).json()

    assert body["region"] == "VR05" and body["date"] == today().isoformat()


def test_figures_are_as_of_the_date(coordinator_api):
    location_with_reports("ENS-1", "GM0153", [(days_ago(20), 80, 40), (days_ago(2), 120, 60)])
    snapshots_recompute()

    then = coordinator_api.get(URL, {"date": days_ago(10).isoformat()}).json()

    assert then["target_groups"][0]["operational"] == 80
    assert then["date"] == days_ago(10).isoformat()


def test_a_future_date_gives_todays_figures(coordinator_api):
    location_with_reports(
        "CNO-1",
        "GM0153",
        [(days_ago(3), 60, 50)],
        contract_end=today(),  # ends tonight
    )
    snapshots_recompute()

    body = coordinator_api.get(URL, {"date": "2999-12-31"}).json()

    assert body["date"] == today().isoformat()
    assert body["target_groups"][0]["operational"] == 60


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"region": "VR99"}, "region"),
        ({"region": "Twente"}, "region"),
        ({"date": "2024-02-30"}, "date"),
        ({"date": "gisteren"}, "date"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_bad_parameters_are_400_with_a_message_per_field(coordinator_api, params, field):
    response = coordinator_api.get(URL, params)

    assert response.status_code == 400
    assert list(field_errors(response)) == [field]
    if field == "region":
        assert field_errors(response)["region"] == [
            f"Onbekende veiligheidsregio: {params['region']}."
        ]


def test_another_region_is_403(coordinator_api):
    response = coordinator_api.get(URL, {"region": "VR04"})

    assert response.status_code == 403
    assert "regio" in response.json()["detail"]


def test_a_project_leader_reads_their_own_region(api_client, region):
    enschede = Municipality.objects.get(code="GM0153")
    api_client.force_authenticate(UserFactory(role="project_leader", scope__municipality=enschede))

    assert api_client.get(URL, {"region": "VR05"}).status_code == 200
    assert api_client.get(URL, {"region": "VR04"}).status_code == 403


def test_a_provincial_reader_reads_every_region_of_the_province(api_client, region):
    token = Token.objects.create(user=UserFactory(username="prov", role="provincial_reader"))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert api_client.get(URL, {"region": "VR05"}).status_code == 200
    ijsselland = api_client.get(URL, {"region": "vr04"})
    assert ijsselland.status_code == 200 and ijsselland.json()["region"] == "VR04"
    assert ijsselland.json()["municipalities"] == []
    assert SafetyRegion.objects.get(code="VR01").province.code != "PV23"
    assert api_client.get(URL, {"region": "VR01"}).status_code == 403


def test_anonymous_is_401_and_an_account_without_a_role_403(api_client, region):
    assert api_client.get(URL).status_code == 401
    api_client.force_authenticate(UserFactory(username="nobody"))
    assert api_client.get(URL).status_code == 403


def test_a_poller_gets_304_while_nothing_changed(coordinator_api):
    _asylum_in_twente()
    first = coordinator_api.get(URL)
    etag = first["ETag"]

    again = coordinator_api.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert first["Cache-Control"] == "no-store"  # figures are never kept by a cache

    location_with_reports("HGL-1", "GM0164", [(days_ago(1), 30, 20)])
    snapshots_recompute()
    changed = coordinator_api.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_etag_differs_per_region_and_date(coordinator_api):
    _asylum_in_twente()
    today_tag = coordinator_api.get(URL)["ETag"]
    earlier = coordinator_api.get(
        URL, {"date": days_ago(30).isoformat()}, HTTP_IF_NONE_MATCH=today_tag
    )

    assert earlier.status_code == 200 and earlier["ETag"] != today_tag


def test_the_same_table_exports_as_csv(coordinator_api):
    _asylum_in_twente()

    response = coordinator_api.get(URL, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode()[1:]), delimiter=";"))
    assert len(rows) == 3 + 14 * 3
    region_asylum = rows[0]
    assert region_asylum["municipality"] == "VR05" and region_asylum["target_group"] == "asylum"
    assert (region_asylum["required"], region_asylum["operational"]) == ("2164", "1137")
    assert region_asylum["occupancy_rate"] == "0,88"


def test_the_same_table_exports_as_xlsx(coordinator_api):
    _asylum_in_twente()

    response = coordinator_api.get(URL, {"format": "xlsx", "region": "VR05"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Overzicht"
    assert sheet["B2"].is_date and sheet["B2"].number_format == "DD-MM-YYYY"
    assert sheet["B2"].value.date() == days_ago(0)
    rows = list(sheet.values)
    assert rows[0] == (
        "region",
        "date",
        "municipality",
        "name",
        "target_group",
        "required",
        "operational",
        "occupied",
        "occupancy_rate",
        "gap",
        "realisation",
        "realised",
        "linked",
        "carried_over",
        "location_types",
    )
    assert rows[1][5:8] == (2164, 1137, 1000)


def _arrange(locations: int, offset: int) -> None:
    codes = list(Municipality.objects.values_list("code", flat=True))
    for n in range(locations):
        location_with_reports(
            f"LOC-{offset + n}",
            codes[n % len(codes)],
            [(days_ago(7 * week), 60, 30) for week in range(20)],
            target_group=TargetGroup.values[n % 3],
        )
    snapshots_recompute()


def test_the_query_count_does_not_grow_with_locations(
    api_client, region, django_assert_num_queries
):
    token = Token.objects.create(user=UserFactory(username="prov", role="provincial_reader"))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for group in TargetGroup.values:
        adopted_task(code=f"{group}-task", target_group=group, deadline=today())

    _arrange(5, 0)
    # 10 with an active permit-holder task (its housing reports are one more read), the
    # thresholds and the places per location type read afresh after the locations changed.
    with django_assert_num_queries(10):
        small = api_client.get(URL, {"region": "VR05"})
    _arrange(55, 100)
    with django_assert_num_queries(10):
        large = api_client.get(URL, {"region": "VR05"})

    assert small.json()["target_groups"][0]["operational"] == 2 * 60
    assert large.json()["target_groups"][0]["operational"] == (2 + 19) * 60


def test_the_schema_documents_the_endpoint(coordinator_api):
    schema = coordinator_api.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/overview"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"region", "date", "format", "If-None-Match"} <= names
    assert "active task" in operation["description"]
    assert "304" in operation["responses"]
    content = operation["responses"]["200"]["content"]
    assert {"application/json", "text/csv"} <= set(content)
