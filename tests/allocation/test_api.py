import datetime

import pytest
from rest_framework.authtoken.models import Token

from allocation.models import Assignment, Exchange
from allocation.services import assignments_close, exchange_create
from municipalities.models import Municipality, SafetyRegion
from tests.allocation.factories import AssignmentFactory, assignment_with_shares
from tests.allocation.test_engine import EXPECTED_225_FLOOR_10
from tests.factories import MunicipalityFactory, UserFactory
from tests.problems import field_errors, problem

PREVIEW = "/api/v1/allocations/preview"
ROLES = ["coordinator", "project_leader", "secretary", "provincial_reader"]


@pytest.fixture
def as_coordinator(api_client, region):
    api_client.force_authenticate(UserFactory(role="coordinator"))
    return api_client


# --- preview -----------------------------------------------------------------------------------


def test_preview_returns_the_documented_shape(as_coordinator):
    response = as_coordinator.post(
        PREVIEW,
        {
            "total": 1944,
            "region": "VR05",
            "key": "population",
            "reference_date": "2023-01-01",
            "method": "largest_remainder",
            "minimum": 0,
            "minimums": {},
            "maximums": {},
            "credits": {},
            "exclude": [],
            "weights": {},
        },
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["total", "method", "shares"]
    assert (body["total"], body["method"]) == (1944, "largest_remainder")
    assert body["shares"][0] == {
        "municipality": "GM0141",
        "name": "Almelo",
        "weight": 73155,
        "quota": 224.34,
        "share": 224,
    }
    assert len(body["shares"]) == 14
    assert sum(row["share"] for row in body["shares"]) == 1944


def test_preview_needs_only_a_total(as_coordinator):
    response = as_coordinator.post(PREVIEW, {"total": 225, "minimum": 10}, format="json")
    assert response.status_code == 200
    shares = {row["municipality"]: row["share"] for row in response.json()["shares"]}
    assert shares == EXPECTED_225_FLOOR_10


def test_preview_takes_minimums_credits_exclusions_and_other_methods(as_coordinator):
    response = as_coordinator.post(
        PREVIEW,
        {
            "total": 1944,
            "method": "dhondt",
            "minimums": {"GM0153": 600},
            "credits": {"GM0141": 300},
            "exclude": ["GM0147"],
        },
        format="json",
    )
    shares = {row["municipality"]: row for row in response.json()["shares"]}
    assert shares["GM0153"]["share"] >= 600
    assert shares["GM0141"]["share"] >= 300
    assert shares["GM0147"] == {
        "municipality": "GM0147",
        "name": "Borne",
        "weight": 0,
        "quota": 0.0,
        "share": 0,
    }
    assert sum(row["share"] for row in shares.values()) == 1944


def test_preview_with_custom_weights_returns_them(as_coordinator):
    weights = {"GM0153": 193, "GM0141": 88.5}
    response = as_coordinator.post(
        PREVIEW, {"total": 100, "key": "custom", "weights": weights}, format="json"
    )
    assert response.status_code == 200
    rows = {row["municipality"]: row for row in response.json()["shares"]}
    assert rows["GM0141"]["weight"] == 88.5
    assert rows["GM0153"]["share"] + rows["GM0141"]["share"] == 100


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        (
            {"total": 225, "minimum": 17},
            "De minima tellen op tot 238, meer dan het totaal van 225.",
        ),
        (
            {"total": 225, "maximum": 16},
            "De maxima tellen op tot 224, minder dan het totaal van 225.",
        ),
        (
            {"total": 225, "minimums": {"GM0153": 70}, "maximums": {"GM0153": 60}},
            "Het minimum van 70 voor Enschede (GM0153) is hoger dan het maximum van 60.",
        ),
        (
            {"total": 10, "credits": {"GM0153": 11}},
            "De eerdere inzet telt op tot 11, meer dan het totaal van 10.",
        ),
        (
            {"total": 10, "reference_date": "2020-01-01"},
            "Voor gemeente Almelo ontbreekt het inwonertal op peildatum 01-01-2020.",
        ),
        (
            {"total": 10, "key": "population_ses"},
            "Voor gemeente Almelo ontbreekt de SES-WOA-factor op de laatst bekende peildatum.",
        ),
    ],
)
def test_impossible_requests_give_400_with_a_dutch_message(as_coordinator, payload, detail):
    response = as_coordinator.post(PREVIEW, payload, format="json")
    body = problem(response, 400)
    assert (body["detail"], body["invalidParams"]) == (detail, [])


def test_an_impossible_distribution_carries_the_engines_code(as_coordinator):
    response = as_coordinator.post(PREVIEW, {"total": 225, "minimum": 17}, format="json")
    body = problem(response, 400)
    assert (body["code"], body["detail"]) == (
        "minimums_above_total",
        "De minima tellen op tot 238, meer dan het totaal van 225.",
    )


def test_an_impossible_distribution_is_explained_in_english_when_asked(as_coordinator):
    response = as_coordinator.post(
        PREVIEW,
        {"total": 225, "minimums": {"GM0153": 70}, "maximums": {"GM0153": 60}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = problem(response, 400)
    assert (body["code"], body["detail"]) == (
        "key_minimum_above_maximum",
        "The minimum of 70 for Enschede (GM0153) is above its maximum of 60.",
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"total": 10, "minimums": {"GM9999": 1}}, "minimums"),
        ({"total": 10, "exclude": ["GM0363"]}, "exclude"),
        ({"total": 10, "credits": {"GM9999": 1}}, "credits"),
        ({"total": 10, "key": "custom", "weights": {"GM9999": 1}}, "weights"),
        ({"total": 10, "region": "VR99"}, "region"),
        ({"total": -1}, "total"),
        ({"total": 10_000_000}, "total"),
        ({"total": 10, "method": "webster"}, "method"),
        ({"total": 10, "key": "income"}, "key"),
        ({"total": 10, "minimums": {"GM0153": -1}}, "minimums"),
        ({}, "total"),
    ],
)
def test_bad_fields_give_400_per_field(as_coordinator, payload, field):
    response = as_coordinator.post(PREVIEW, payload, format="json")
    errors = field_errors(response)
    # A nested field is named in full, e.g. `minimums.GM0153`.
    assert any(name.split(".")[0] == field for name in errors), errors


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_preview(api_client, region, role):
    api_client.force_authenticate(UserFactory(role=role))
    assert api_client.post(PREVIEW, {"total": 10}, format="json").status_code == 200


def test_preview_refuses_anonymous_and_roleless_callers(api_client, region):
    assert api_client.post(PREVIEW, {"total": 10}, format="json").status_code == 401
    api_client.force_authenticate(UserFactory(username="nobody"))
    assert api_client.post(PREVIEW, {"total": 10}, format="json").status_code == 403


def test_preview_saves_nothing(as_coordinator):
    as_coordinator.post(PREVIEW, {"total": 1944}, format="json")
    assert not Assignment.objects.exists()


# --- assignments --------------------------------------------------------------------------------


def test_a_token_reader_lists_assignments_with_their_shares(api_client, region):
    assignment_with_shares(code="asylum-2023-04", total=1944, adopt=True)
    token = Token.objects.create(user=UserFactory(role="provincial_reader"))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api_client.get("/api/v1/assignments")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    task = body["results"][0]
    assert (task["code"], task["total"], task["status"]) == ("asylum-2023-04", 1944, "adopted")
    assert (task["effective_total"], task["realised_total"], task["gap"]) == (1944, 0, 1944)
    enschede = next(row for row in task["shares"] if row["municipality"] == "GM0153")
    assert enschede == {
        "municipality": "GM0153",
        "name": "Enschede",
        "weight": 160640,
        "quota": 492.63,
        "credit": 0,
        "share": 493,
        "agreed_share": None,
        "agreed_reason": "",
        "status": "indicative",
        "exchanged": 0,
        "carried_over": 0,
        "effective_share": 493,
        "realised": 0,
        "linked": None,
        "credited": 0,
        "gap": 493,
    }


def test_the_list_uses_a_constant_number_of_queries(as_coordinator, django_assert_max_num_queries):
    for n in range(12):
        assignment_with_shares(total=100 + n)
    # Role lookup, membership, count, page and the prefetched shares: not one per task.
    with django_assert_max_num_queries(6):
        response = as_coordinator.get("/api/v1/assignments?page_size=500")
    assert response.json()["count"] == 12
    assert all(len(task["shares"]) == 14 for task in response.json()["results"])


def test_the_list_filters_by_target_group_and_status(as_coordinator):
    assignment_with_shares(code="a", adopt=True)
    assignment_with_shares(code="u", target_group="ukraine", total=3000)
    codes = lambda query: [t["code"] for t in as_coordinator.get(query).json()["results"]]  # noqa: E731
    assert codes("/api/v1/assignments?target_group=ukraine") == ["u"]
    assert codes("/api/v1/assignments?status=adopted") == ["a"]
    assert codes("/api/v1/assignments?region=VR05&target_group=asylum") == ["a"]


def test_a_closed_task_says_so_and_filters_as_closed(as_coordinator):
    assignment_with_shares(code="passed", deadline=datetime.date(2024, 1, 1), adopt=True)
    assignment_with_shares(code="running", deadline=datetime.date(2099, 1, 1), adopt=True)
    assignments_close(on=datetime.date(2024, 2, 1))

    detail = as_coordinator.get("/api/v1/assignments/passed").json()
    listed = as_coordinator.get("/api/v1/assignments?status=closed").json()["results"]

    assert detail["status"] == "closed"
    assert [task["code"] for task in listed] == ["passed"]
    schema = as_coordinator.get("/api/schema/?format=json").json()
    statuses = [
        component["enum"]
        for name, component in schema["components"]["schemas"].items()
        if "enum" in component and "adopted" in component["enum"]
    ]
    assert statuses and all("closed" in values for values in statuses)


def test_assignments_of_another_region_are_invisible(as_coordinator):
    ijsselland = SafetyRegion.objects.get(code="VR04")
    AssignmentFactory(code="deventer", region=ijsselland)
    assert as_coordinator.get("/api/v1/assignments").json()["count"] == 0
    # Outside the caller's region: 403, as for locations (tests/api/test_permissions.py).
    assert as_coordinator.get("/api/v1/assignments/deventer").status_code == 403
    assert as_coordinator.get("/api/v1/assignments/nowhere").status_code == 404


def test_detail_is_addressed_by_code(as_coordinator):
    assignment_with_shares(code="permit-holders-2023-h1", total=764)
    response = as_coordinator.get("/api/v1/assignments/permit-holders-2023-h1")
    assert response.status_code == 200
    assert sum(row["share"] for row in response.json()["shares"]) == 764


NEW_TASK = {
    "code": "cno-2022",
    "title": "Crisisnoodopvang 225",
    "target_group": "asylum",
    "issuer": "rijk",
    "total": 225,
    "deadline": "2022-10-01",
    "reference_date": "2022-01-01",
    "minimum": 10,
}


def test_a_coordinator_creates_a_draft_with_computed_shares(as_coordinator):
    response = as_coordinator.post("/api/v1/assignments", NEW_TASK, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["region"], body["key"]) == ("draft", "VR05", "population")
    assert {row["municipality"]: row["share"] for row in body["shares"]} == EXPECTED_225_FLOOR_10


def test_creating_an_impossible_task_gives_400_and_saves_nothing(as_coordinator):
    response = as_coordinator.post(
        "/api/v1/assignments", {**NEW_TASK, "minimum": 17}, format="json"
    )
    assert response.status_code == 400
    assert field_errors(response) == {
        "detail": ["De minima tellen op tot 238, meer dan het totaal van 225."]
    }
    assert response.json()["code"] == "minimums_above_total"
    assert not Assignment.objects.exists()


def test_creating_a_duplicate_code_gives_a_field_error(as_coordinator):
    as_coordinator.post("/api/v1/assignments", NEW_TASK, format="json")
    response = as_coordinator.post("/api/v1/assignments", NEW_TASK, format="json")
    assert response.status_code == 400
    assert "code" in field_errors(response)


def test_a_coordinator_cannot_create_for_another_region(as_coordinator):
    response = as_coordinator.post(
        "/api/v1/assignments", {**NEW_TASK, "region": "VR04"}, format="json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["project_leader", "secretary", "provincial_reader"])
def test_other_roles_cannot_write_assignments(api_client, region, role):
    assignment_with_shares(code="t")
    user = UserFactory(role=role, scope__municipality=Municipality.objects.get(code="GM0153"))
    api_client.force_authenticate(user)
    assert api_client.get("/api/v1/assignments/t").status_code == 200
    assert api_client.post("/api/v1/assignments", NEW_TASK, format="json").status_code == 403
    assert api_client.patch("/api/v1/assignments/t", {"total": 5}, format="json").status_code == 403
    assert api_client.post("/api/v1/assignments/t/adopt").status_code == 403
    assert (
        api_client.post("/api/v1/assignments/t/agree", {"shares": []}, format="json").status_code
        == 403
    )


def test_patching_the_total_recomputes_the_shares(as_coordinator):
    assignment_with_shares(code="t", total=1944)
    response = as_coordinator.patch("/api/v1/assignments/t", {"total": 2164}, format="json")
    assert response.status_code == 200
    assert sum(row["share"] for row in response.json()["shares"]) == 2164


def test_adopting_through_the_api(as_coordinator):
    assignment_with_shares(code="t")
    response = as_coordinator.post("/api/v1/assignments/t/adopt")
    assert response.status_code == 200 and response.json()["status"] == "adopted"
    again = as_coordinator.post("/api/v1/assignments/t/adopt")
    assert again.status_code == 400 and "al vastgesteld" in again.json()["detail"]


def test_agreeing_shares_through_the_api(as_coordinator):
    assignment_with_shares(code="t", total=764)
    reason = "Circulaire 1e helft 2023"
    payload = {
        "shares": [
            {"municipality": "GM0153", "agreed_share": 193, "agreed_reason": reason},
            {"municipality": "GM0158", "agreed_share": 30, "agreed_reason": reason},
        ]
    }
    response = as_coordinator.post("/api/v1/assignments/t/agree", payload, format="json")
    assert response.status_code == 200
    rows = {row["municipality"]: row for row in response.json()["shares"]}
    assert (rows["GM0153"]["agreed_share"], rows["GM0153"]["effective_share"]) == (193, 193)
    assert rows["GM0153"]["agreed_reason"] == reason


def test_agreeing_a_table_that_does_not_add_up_gives_400(as_coordinator):
    assignment_with_shares(code="t", total=764)
    payload = {"shares": [{"municipality": "GM0153", "agreed_share": 193, "agreed_reason": "x"}]}
    response = as_coordinator.post("/api/v1/assignments/t/agree", payload, format="json")
    assert response.status_code == 400
    assert field_errors(response)["detail"][0].startswith("De aandelen tellen op tot 763")


# --- exchanges ----------------------------------------------------------------------------------


def test_a_coordinator_records_and_withdraws_an_exchange(as_coordinator):
    assignment_with_shares(code="asylum", total=1944)
    assignment_with_shares(code="ukraine", target_group="ukraine", total=3000)
    response = as_coordinator.post(
        "/api/v1/exchanges",
        {
            "from_municipality": "GM0153",
            "from_assignment": "asylum",
            "to_municipality": "GM0153",
            "to_assignment": "ukraine",
            "places": 100,
            "reason": "Saldering",
            "date": "2023-03-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    exchange = response.json()
    assert (exchange["status"], exchange["region"]) == ("agreed", "VR05")
    asylum = as_coordinator.get("/api/v1/assignments/asylum").json()
    assert asylum["effective_total"] == 1844
    withdrawn = as_coordinator.post(f"/api/v1/exchanges/{exchange['id']}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
    assert as_coordinator.get("/api/v1/assignments/asylum").json()["effective_total"] == 1944


def test_an_exchange_beyond_the_share_gives_400(as_coordinator):
    assignment_with_shares(code="asylum", total=1944)
    response = as_coordinator.post(
        "/api/v1/exchanges",
        {
            "from_municipality": "GM0189",
            "from_assignment": "asylum",
            "to_municipality": "GM0153",
            "places": 500,
            "reason": "Te veel",
            "date": "2023-03-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "places" in field_errors(response)
    assert not Exchange.objects.exists()


def test_a_project_leader_reads_exchanges_but_cannot_record_one(api_client, region):
    assignment = assignment_with_shares(code="asylum", total=1944)
    places = {m.code: m for m in Municipality.objects.in_region("VR05")}
    exchange_create(
        from_municipality=places["GM0189"],
        from_assignment=assignment,
        to_municipality=places["GM0153"],
        places=5,
        reason="x",
        date=datetime.date(2023, 3, 1),
    )
    api_client.force_authenticate(
        UserFactory(role="project_leader", scope__municipality=places["GM0153"])
    )
    assert api_client.get("/api/v1/exchanges?municipality=GM0153").json()["count"] == 1
    assert api_client.get("/api/v1/exchanges?municipality=GM0141").json()["count"] == 0
    response = api_client.post(
        "/api/v1/exchanges",
        {
            "from_municipality": "GM0153",
            "from_assignment": "asylum",
            "to_municipality": "GM0141",
            "places": 1,
            "reason": "x",
            "date": "2023-03-01",
        },
        format="json",
    )
    assert response.status_code == 403


def test_the_schema_documents_the_preview(client, region):
    client.force_login(UserFactory(role="coordinator"))
    schema = client.get("/api/schema/").content
    assert b"/allocations/preview" in schema
    assert b"/assignments/{code}" in schema


def test_an_outside_municipality_is_no_part_of_the_region(as_coordinator):
    MunicipalityFactory(code="GM0150", safety_region=SafetyRegion.objects.get(code="VR04"))
    response = as_coordinator.post(PREVIEW, {"total": 10, "minimums": {"GM0150": 1}}, format="json")
    assert "minimums" in field_errors(response)
