"""The OpenAPI schema documents every endpoint with its errors; /api/docs/ needs no CDN."""

import re

import pytest
from django.core.management import call_command

from .conftest import make_user

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(api_client, world):
    api_client.force_authenticate(make_user("coordinator", world))
    response = api_client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                yield path, method, operation


DESIGN_PATHS = [
    "/api/v1/municipalities/",
    "/api/v1/municipalities/{code}/",
    "/api/v1/locations/",
    "/api/v1/locations/{code}/",
    "/api/v1/capacity-reports/",
    "/api/v1/capacity-outlook/",
    "/api/v1/permit-holder-reports/",
    "/api/v1/permit-holder-reports/{id}/",
    "/api/v1/assignments/",
    "/api/v1/assignments/{code}/",
    "/api/v1/exchanges/",
    "/api/v1/allocations/preview/",
    "/api/v1/overview/",
    "/api/v1/meetings/",
    "/api/v1/meetings/{id}/",
    "/api/v1/actions/",
]


def test_every_resource_of_the_design_is_in_the_schema(schema):
    assert set(DESIGN_PATHS) <= set(schema["paths"])


@pytest.mark.parametrize(
    ("path", "parameters"),
    [
        ("/api/v1/municipalities/", {"region", "page", "page_size", "ordering"}),
        ("/api/v1/locations/", {"municipality", "type", "status"}),
        ("/api/v1/capacity-reports/", {"location", "date_after", "date_before"}),
        ("/api/v1/permit-holder-reports/", {"municipality", "date_after", "date_before"}),
        ("/api/v1/actions/", {"status", "overdue"}),
    ],
)
def test_the_design_filters_are_documented_with_their_names(schema, path, parameters):
    names = {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}
    assert parameters <= names


def test_every_operation_has_a_summary_and_the_error_answers(schema):
    for path, method, operation in _operations(schema):
        assert operation.get("summary"), (method, path)
        for status in ("400", "401", "403", "404", "429"):
            assert status in operation["responses"], (method, path, status)
    assert "Error" in schema["components"]["schemas"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/capacity-reports/",
        "/api/v1/permit-holder-reports/",
        "/api/v1/allocations/preview/",
    ],
)
def test_the_main_posts_carry_a_request_example(schema, path):
    content = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    assert content.get("examples"), path


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


def test_the_docs_page_loads_its_assets_locally(client, world):
    client.force_login(make_user("coordinator", world))
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert urls, html
    for url in urls:
        assert url.startswith("/static/") or url.startswith("/api/docs/"), url
    # The split view's own script is served by the project too, and points at /api/schema/.
    script_urls = [url for url in urls if url.startswith("/api/docs/")]
    for url in script_urls:
        script = client.get(url)
        assert script.status_code == 200
        assert "://" not in script.content.decode().replace("http://testserver", "")
    for url in (u for u in urls if u.startswith("/static/")):
        assert "cdn" not in url.lower()


def test_the_docs_page_asks_anonymous_people_to_log_in(client, world):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
