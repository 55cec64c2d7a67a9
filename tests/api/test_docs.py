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
    "/municipalities",
    "/municipalities/{code}",
    "/locations",
    "/locations/{code}",
    "/capacity-reports",
    "/capacity-outlook",
    "/permit-holder-reports",
    "/permit-holder-reports/{id}",
    "/assignments",
    "/assignments/{code}",
    "/exchanges",
    "/allocations/preview",
    "/overview",
    "/meetings",
    "/meetings/{id}",
    "/actions",
]


def test_every_resource_of_the_design_is_in_the_schema(schema):
    assert set(DESIGN_PATHS) <= set(schema["paths"])


@pytest.mark.parametrize(
    ("path", "parameters"),
    [
        ("/municipalities", {"region", "page", "page_size", "ordering"}),
        ("/locations", {"municipality", "type", "status"}),
        ("/capacity-reports", {"location", "date_after", "date_before"}),
        ("/permit-holder-reports", {"municipality", "date_after", "date_before"}),
        ("/actions", {"status", "overdue"}),
    ],
)
def test_the_design_filters_are_documented_with_their_names(schema, path, parameters):
    names = {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}
    assert parameters <= names


def test_every_operation_has_a_summary_and_the_error_answers(schema):
    for path, method, operation in _operations(schema):
        assert operation.get("summary"), (method, path)
        if path == "/openapi.json":  # public and without parameters: it cannot fail so
            continue
        for status in ("400", "401", "403", "404", "429"):
            assert status in operation["responses"], (method, path, status)
    assert "Problem" in schema["components"]["schemas"]


@pytest.mark.parametrize(
    "path",
    [
        "/capacity-reports",
        "/permit-holder-reports",
        "/allocations/preview",
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
    # Assets from the project itself; links back to the app and to the OpenAPI document.
    links = {"/", "/api/v1/openapi.json", "/api/v1/openapi.yaml"}
    for url in urls:
        assert url.startswith(("/static/", "/api/docs/")) or url in links, url
    assert links <= set(urls)
    # The split view's own script is served by the project too, and points at openapi.json.
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
