"""Bad input gives 400 with field-level messages, never 500; pages and filters behave."""

import datetime

import pytest

from capacity.models import CapacityReport
from tests.problems import field_errors, problem

from .conftest import make_user

REPORTS = "/api/v1/capacity-reports"
PREVIEW = "/api/v1/allocations/preview"
TODAY = datetime.date.today()


@pytest.fixture
def coordinator_client(api_client, world):
    api_client.force_authenticate(make_user("coordinator", world))
    return api_client


@pytest.mark.parametrize(
    "path",
    [REPORTS, "/api/v1/locations", "/api/v1/assignments", "/api/v1/exchanges", PREVIEW],
)
def test_malformed_json_gives_400_with_a_detail(coordinator_client, path):
    response = coordinator_client.post(
        path, data='{"location": "LOC-ENS", "capacity": ', content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in field_errors(response)


def test_a_json_list_instead_of_an_object_gives_400(coordinator_client):
    response = coordinator_client.post(REPORTS, data="[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert CapacityReport.objects.count() == 2


def _report(**fields):
    return {
        "location": "LOC-ENS",
        "date": TODAY.isoformat(),
        "capacity": 60,
        "occupied": 57,
    } | fields


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"location": "NOPE"}, "location"),
        ({"location": 12}, "location"),
        ({"capacity": "veel"}, "capacity"),
        ({"capacity": [60]}, "capacity"),
        ({"occupied": None}, "occupied"),
        ({"date": "09-01-2023"}, "date"),
        ({"date": "2023-02-30"}, "date"),
        ({"date": (TODAY + datetime.timedelta(days=1)).isoformat()}, "date"),
        ({"capacity": -1}, "capacity"),
        ({"occupied": -5}, "occupied"),
        ({"capacity": 60, "occupied": 61}, "occupied"),
        ({"reserved": 10}, "reserved"),
        ({"capacity": 10**12}, "capacity"),
    ],
)
def test_a_bad_report_gives_400_on_the_field(coordinator_client, fields, field):
    response = coordinator_client.post(REPORTS, _report(**fields), format="json")
    errors = field_errors(response)
    assert field in errors, errors
    assert not CapacityReport.objects.filter(date=TODAY).exists()


def test_an_unknown_location_gives_400_not_403_for_a_project_leader(api_client, world):
    api_client.force_authenticate(make_user("project_leader", world))
    response = api_client.post(REPORTS, _report(location="NOPE"), format="json")
    assert list(field_errors(response)) == ["location"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "total"),
        ({"total": -1}, "total"),
        ({"total": "veel"}, "total"),
        ({"total": 10**12}, "total"),
        ({"total": 10, "method": "random"}, "method"),
        ({"total": 10, "key": "lottery"}, "key"),
        ({"total": 10, "region": "VR99"}, "region"),
        ({"total": 10, "minimums": {"GM0153": -1}}, "minimums"),
        ({"total": 10, "minimums": []}, "minimums"),
        ({"total": 10, "reference_date": "gisteren"}, "reference_date"),
    ],
)
def test_a_bad_preview_gives_400_on_the_field(coordinator_client, body, field):
    response = coordinator_client.post(PREVIEW, body, format="json")
    errors = field_errors(response)
    # A nested field is named in full, e.g. `minimums.GM0153`.
    assert any(name.split(".")[0].split("[")[0] == field for name in errors), errors


def test_impossible_preview_constraints_give_400_with_a_message(coordinator_client):
    response = coordinator_client.post(PREVIEW, {"total": 10, "minimum": 50}, format="json")
    assert response.status_code == 400
    assert field_errors(response)["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/locations?type=castle",
        "/api/v1/locations?status=open",
        "/api/v1/locations?municipality=GM9999",
        "/api/v1/capacity-reports?date_after=gisteren",
        "/api/v1/actions?status=maybe",
        "/api/v1/meetings?date_before=2024-13-45",
        "/api/v1/assignments?target_group=aliens",
        "/api/v1/capacity-outlook?months=0",
        "/api/v1/capacity-outlook?months=abc",
        "/api/v1/capacity-outlook?start=morgen",
        "/api/v1/capacity-outlook?region=VR99",
        "/api/v1/overview?date=gisteren",
        "/api/v1/overview?region=VR99",
    ],
)
def test_a_bad_filter_value_gives_400(coordinator_client, query):
    response = coordinator_client.get(query)
    assert response.status_code == 400, response.content
    assert field_errors(response)


@pytest.mark.parametrize("page_size", ["0", "-3", "abc", "1e3", ""])
def test_odd_page_sizes_fall_back_to_the_default(coordinator_client, page_size):
    response = coordinator_client.get(f"/api/v1/municipalities?page_size={page_size}")
    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_page_size_above_500_is_capped(coordinator_client, world):
    from tests.factories import MunicipalityFactory

    for i in range(510):
        MunicipalityFactory(code=f"GM{1000 + i}", safety_region=world.hengelo.safety_region)
    body = coordinator_client.get("/api/v1/municipalities?page_size=100000").json()
    assert body["count"] == 513
    assert len(body["results"]) == 500


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99"])
def test_a_page_out_of_range_gives_404_in_json(coordinator_client, page):
    response = coordinator_client.get(f"/api/v1/locations?page={page}")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_an_unknown_api_path_gives_404_in_json(coordinator_client):
    response = coordinator_client.get("/api/v1/nothing-here")
    body = problem(response, 404)
    assert body["detail"] == "Er is niets op dit adres, of het gevraagde bestaat niet."
    assert body["instance"] == "/api/v1/nothing-here"


def test_token_clients_are_throttled(api_client, world, settings):
    from django.core.cache import cache
    from rest_framework.authtoken.models import Token

    cache.clear()
    settings.API_TOKEN_THROTTLE_RATE = "3/minute"
    token = Token.objects.create(user=make_user("provincial_reader", world))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    statuses = [api_client.get("/api/v1/municipalities").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    cache.clear()
