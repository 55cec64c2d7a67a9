"""The NL GOV API Design Rules the lint cannot see, held for every endpoint: one error
contract (problem details), `API-Version`, the transport security headers, no trailing
slashes, the public OpenAPI document, UTC date-times."""

import datetime
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.capacity.factories import CapacityReportFactory
from tests.problems import FIELDS, PROBLEM, field_errors, problem

from .conftest import make_user

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}


def _routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def test_no_api_route_ends_in_a_slash():
    api = [route for route in _routes() if route.startswith("api/v1/")]
    assert len(api) > 30
    slashed = [route for route in api if re.sub(r"[$^]", "", route).endswith("/")]
    assert slashed == []


def _as(api_client, world, role):
    api_client.force_authenticate(make_user(role, world))
    return api_client


def test_five_apps_answer_400_401_403_404_409_with_the_same_problem_fields(api_client, world):
    answers = {}
    # 401, municipalities: no token.
    answers[401] = api_client.get("/api/v1/municipalities")
    leader = _as(api_client, world, "project_leader")
    # 400, capacity: occupied above capacity, a rule of the model.
    answers[400] = leader.post(
        "/api/v1/capacity-reports",
        {"location": "LOC-ENS", "date": "2023-01-09", "capacity": 60, "occupied": 61},
        format="json",
    )
    # 403, allocation: a project leader may not create tasks.
    answers[403] = leader.post("/api/v1/assignments", {}, format="json")
    # 404, meetings: an unknown id (Django's "No Meeting matches..." must not show).
    answers[404] = leader.get("/api/v1/meetings/999999")
    # 409, matching: a placement that was already cancelled.
    coordinator = _as(api_client, world, "coordinator")
    from tests.matching.factories import PlacementFactory

    placement = PlacementFactory(location=world.location, target_group="asylum")
    assert coordinator.post(f"/api/v1/placements/{placement.pk}/cancel").status_code == 200
    answers[409] = coordinator.post(f"/api/v1/placements/{placement.pk}/cancel")

    for status, response in answers.items():
        body = problem(response, status)
        assert body["type"].startswith("https://www.rfc-editor.org/rfc/"), body
        assert body["instance"] == response.wsgi_request.path
        assert body["title"] and body["detail"], body
        assert "matches the given query" not in body["detail"]
        assert response["API-Version"] == "1.0.0"
    assert field_errors(answers[400]) == {
        "occupied": ["Bezet (61) kan niet hoger zijn dan de capaciteit (60)."]
    }
    assert answers[401].has_header("WWW-Authenticate")
    assert "geannuleerd" in answers[409].json()["detail"]


def test_a_validation_problem_names_nested_fields(api_client, world):
    response = _as(api_client, world, "coordinator").post(
        "/api/v1/allocations/preview", {"total": 10, "minimums": {"GM0153": -1}}, format="json"
    )
    body = problem(response, 400)
    assert body["invalidParams"] == [
        {
            "name": "minimums.GM0153",
            "code": "min_value",
            "reason": "Zorg ervoor dat deze waarde groter is dan of gelijk is aan 0.",
        }
    ]


def test_a_bad_query_parameter_is_a_problem_on_that_parameter(api_client, world):
    response = _as(api_client, world, "coordinator").get("/api/v1/locations", {"date": "gisteren"})
    assert list(field_errors(response)) == ["date"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/municipalities/",
        "/api/v1/locations/LOC-ENS/",
        "/api/v1/overview/",
        "/api/v1/nothing-here",
        "/api/v1/",
        "/api/v1",
    ],
)
def test_a_trailing_slash_or_unknown_path_is_a_404_problem_not_a_redirect(api_client, world, path):
    response = _as(api_client, world, "coordinator").get(path)
    body = problem(response, 404)
    assert body["detail"] == "Er is niets op dit adres, of het gevraagde bestaat niet."
    assert response["API-Version"] == "1.0.0"


def test_a_method_not_allowed_is_a_problem_too(api_client, world):
    response = _as(api_client, world, "coordinator").delete("/api/v1/locations/LOC-ENS")
    problem(response, 405)
    assert "Allow" in response


@pytest.mark.parametrize(
    "path",
    ["/api/v1/municipalities", "/api/v1/locations/LOC-ENS", "/api/v1/overview?region=VR05"],
)
def test_every_api_answer_carries_the_version_and_security_headers(api_client, world, path):
    for response in (api_client.get(path), _as(api_client, world, "coordinator").get(path)):
        assert response["API-Version"] == "1.0.0", path
        for name, value in SECURITY_HEADERS.items():
            assert response[name] == value, (path, name)
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_https_redirect_carries_the_api_headers(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/api/v1/municipalities")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert response["API-Version"] == "1.0.0"
    for name, value in SECURITY_HEADERS.items():
        assert response[name] == value


def test_the_pages_keep_their_slashes_and_redirects(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/locations").status_code == 301
    assert "API-Version" not in client.get("/locations/")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/v1/openapi.json", "application/vnd.oai.openapi+json"),
        ("/api/v1/openapi.yaml", "application/vnd.oai.openapi"),
    ],
)
def test_the_openapi_document_is_public_and_readable_from_anywhere(client, db, path, content_type):
    response = client.get(path, HTTP_AUTHORIZATION="Token not-a-real-one")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith(content_type)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["API-Version"] == "1.0.0"


def test_the_openapi_document_names_its_server_contact_and_version(client, db, settings):
    schema = client.get("/api/v1/openapi.json", secure=True).json()
    assert schema["servers"] == [
        {"url": "https://testserver/api/v1", "description": "Opvang Twente API v1"}
    ]
    assert set(schema["info"]["contact"]) == {"name", "email", "url"}
    assert schema["info"]["version"] == settings.API_VERSION
    assert "/openapi.json" in schema["paths"]
    assert not any(path.startswith("/api/") for path in schema["paths"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                assert "API-Version" in answer.get("headers", {}), (method, path, status)
                if status.startswith(("4", "5")):
                    assert list(answer["content"]) == [PROBLEM], (method, path, status)


def test_date_times_are_written_in_utc_with_z(api_client, world, settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    report = CapacityReportFactory(location=world.location, date=datetime.date(2023, 1, 9))
    body = _as(api_client, world, "coordinator").get(f"/api/v1/capacity-reports/{report.pk}")
    created = body.json()["created"]
    assert created.endswith("Z"), created
    parsed = datetime.datetime.fromisoformat(created.replace("Z", "+00:00"))
    assert parsed == report.created.astimezone(datetime.UTC)


def test_problem_fields_are_the_documented_ones():
    from twente.schema import PROBLEM_SCHEMA

    assert set(PROBLEM_SCHEMA["required"]) == FIELDS
