"""Role × endpoint × method: the status every kind of caller gets on every API path.

The rules (DESIGN.md "Roles", issue 7):
- anonymous callers get 401, accounts without a role 403, everywhere;
- provincial readers read their region's figures and nothing else: never a write; of the
  minutes (meetings/, actions/) only those of their province's bodies (the PRT), never a
  region's TRA or BAO (issue 14);
- project leaders read the region's figures, and write locations and capacity reports of
  their own municipality only;
- secretaries read the figures and the minutes, and write no figures;
- coordinators write everything in their region;
- an object outside the caller's reach (another municipality for a project leader, another
  region for anyone) gives 403, an unknown code 404; a method a path does not have gives 405
  once the caller passed the role check.
"""

import datetime

import pytest

from allocation.models import Assignment, Exchange
from capacity.models import CapacityReport, Location, PermitHolderReport
from matching.models import Placement

from .conftest import ROLES, make_user

TODAY = datetime.date.today().isoformat()


def expect(default: int, **overrides: int) -> dict[str, int]:
    statuses = {"anonymous": 401, "no_role": 403}
    statuses.update({role: default for role in ROLES[2:]})
    statuses.update(overrides)
    return statuses


# Reads of region-wide figures: every role; lists are scoped, so nobody is refused.
READ = expect(200)
# Reads of one object of Enschede: another municipality's project leader and another
# region's coordinator are refused.
READ_ENSCHEDE = expect(200, project_leader_elsewhere=403, coordinator_elsewhere=403)
# Reads of one object of Twente that is region-wide (assignments, exchanges, figures).
READ_TWENTE = expect(200, coordinator_elsewhere=403)
# Writes on Enschede's locations and counts.
WRITE_ENSCHEDE = expect(
    403, project_leader=200, coordinator=200
)  # project_leader_elsewhere, coordinator_elsewhere, secretary, provincial_reader: 403
CREATE_ENSCHEDE = expect(403, project_leader=201, coordinator=201)
# Writes of assignments and exchanges: coordinators of the region only.
COORDINATE = expect(403, coordinator=200)
COORDINATE_CREATE = expect(403, coordinator=201)
# Minutes: every role; lists hold what the caller reads (a provincial reader: the PRT only).
MINUTES = expect(200)
# One meeting or action of Twente's TRA: another region's coordinator is refused, and so is a
# provincial reader (a region's table, not the province's).
MINUTES_TWENTE = expect(200, provincial_reader=403, coordinator_elsewhere=403)


def _location_body(world, **fields):
    return {
        "code": "LOC-ENS",
        "name": "Noodopvang Enschede-Zuid",
        "municipality": "GM0153",
        "place": "Enschede",
        "type": "cno",
        "target_group": "asylum",
        "status": "operational",
        **fields,
    }


def _housing_report(world) -> PermitHolderReport:
    """Enschede's permit-holder housing report (made on first use)."""
    report, _ = PermitHolderReport.objects.get_or_create(
        municipality=world.enschede,
        date=datetime.date(2023, 3, 31),
        defaults={"housed": 10, "linked": 5},
    )
    return report


MATRIX = [
    # --- municipalities (CBS reference data, national) ---
    ("municipality-list", "get", lambda w: "/api/v1/municipalities", None, READ),
    ("municipality-detail", "get", lambda w: "/api/v1/municipalities/GM0153", None, READ),
    (
        "municipality-create",
        "post",
        lambda w: "/api/v1/municipalities",
        lambda w: {"code": "GM0001", "name": "X"},
        expect(405),
    ),
    # --- locations ---
    ("location-list", "get", lambda w: "/api/v1/locations", None, READ),
    ("location-detail", "get", lambda w: "/api/v1/locations/LOC-ENS", None, READ_ENSCHEDE),
    (
        "location-create",
        "post",
        lambda w: "/api/v1/locations",
        lambda w: _location_body(w, code="LOC-ENS-2"),
        CREATE_ENSCHEDE,
    ),
    (
        "location-update",
        "put",
        lambda w: "/api/v1/locations/LOC-ENS",
        lambda w: _location_body(w, version=w.location.version),
        WRITE_ENSCHEDE,
    ),
    (
        "location-partial-update",
        "patch",
        lambda w: "/api/v1/locations/LOC-ENS",
        lambda w: {"name": "Noodopvang Enschede-Noord", "version": w.location.version},
        WRITE_ENSCHEDE,
    ),
    (
        "location-delete",
        "delete",
        lambda w: "/api/v1/locations/LOC-ENS",
        None,
        expect(405, provincial_reader=403, secretary=403),
    ),
    # --- capacity reports ---
    ("report-list", "get", lambda w: "/api/v1/capacity-reports", None, READ),
    (
        "report-detail",
        "get",
        lambda w: f"/api/v1/capacity-reports/{w.report.pk}",
        None,
        READ_ENSCHEDE,
    ),
    (
        "report-create",
        "post",
        lambda w: "/api/v1/capacity-reports",
        lambda w: {"location": "LOC-ENS", "date": TODAY, "capacity": 60, "occupied": 57},
        CREATE_ENSCHEDE,
    ),
    (
        "report-update",
        "put",
        lambda w: f"/api/v1/capacity-reports/{w.report.pk}",
        lambda w: {"capacity": 60, "occupied": 58, "version": w.report.version},
        WRITE_ENSCHEDE,
    ),
    (
        "report-partial-update",
        "patch",
        lambda w: f"/api/v1/capacity-reports/{w.report.pk}",
        lambda w: {"occupied": 58, "version": w.report.version},
        WRITE_ENSCHEDE,
    ),
    (
        "report-delete",
        "delete",
        lambda w: f"/api/v1/capacity-reports/{w.report.pk}",
        None,
        expect(405, provincial_reader=403, secretary=403),
    ),
    # --- permit-holder housing reports (the rules of capacity reports) ---
    (
        "permit-holder-report-list",
        "get",
        lambda w: "/api/v1/permit-holder-reports",
        None,
        READ,
    ),
    (
        "permit-holder-report-detail",
        "get",
        lambda w: f"/api/v1/permit-holder-reports/{_housing_report(w).pk}",
        None,
        READ_ENSCHEDE,
    ),
    (
        "permit-holder-report-create",
        "post",
        lambda w: "/api/v1/permit-holder-reports",
        lambda w: {"municipality": "GM0153", "date": TODAY, "housed": 3, "linked": 2},
        CREATE_ENSCHEDE,
    ),
    (
        "permit-holder-report-update",
        "put",
        lambda w: f"/api/v1/permit-holder-reports/{_housing_report(w).pk}",
        lambda w: {"housed": 11, "linked": 4, "version": _housing_report(w).version},
        WRITE_ENSCHEDE,
    ),
    (
        "permit-holder-report-partial-update",
        "patch",
        lambda w: f"/api/v1/permit-holder-reports/{_housing_report(w).pk}",
        lambda w: {"linked": 4, "version": _housing_report(w).version},
        WRITE_ENSCHEDE,
    ),
    (
        "permit-holder-report-delete",
        "delete",
        lambda w: f"/api/v1/permit-holder-reports/{_housing_report(w).pk}",
        None,
        expect(405, provincial_reader=403, secretary=403),
    ),
    # --- capacity outlook ---
    ("outlook-own-region", "get", lambda w: "/api/v1/capacity-outlook", None, READ),
    (
        "outlook-twente",
        "get",
        lambda w: "/api/v1/capacity-outlook?region=VR05",
        None,
        READ_TWENTE,
    ),
    # --- assignments ---
    ("assignment-list", "get", lambda w: "/api/v1/assignments", None, READ),
    (
        "assignment-detail",
        "get",
        lambda w: f"/api/v1/assignments/{w.assignment.code}",
        None,
        READ_TWENTE,
    ),
    (
        "assignment-create",
        "post",
        lambda w: "/api/v1/assignments",
        lambda w: {
            "code": "cno-2022",
            "title": "Crisisnoodopvang 225",
            "target_group": "asylum",
            "issuer": "rijk",
            "region": "VR05",
            "total": 225,
            "reference_date": "2022-01-01",
        },
        COORDINATE_CREATE,
    ),
    (
        "assignment-partial-update",
        "patch",
        lambda w: f"/api/v1/assignments/{w.assignment.code}",
        lambda w: {"title": "Asielopvang 2023 (herzien)"},
        COORDINATE,
    ),
    (
        "assignment-adopt",
        "post",
        lambda w: f"/api/v1/assignments/{w.assignment.code}/adopt",
        None,
        COORDINATE,
    ),
    (
        "assignment-agree",
        "post",
        lambda w: f"/api/v1/assignments/{w.assignment.code}/agree",
        lambda w: {"shares": []},
        COORDINATE,
    ),
    (
        "assignment-delete",
        "delete",
        lambda w: f"/api/v1/assignments/{w.assignment.code}",
        None,
        expect(403, coordinator=405, coordinator_elsewhere=405),
    ),
    # --- exchanges ---
    ("exchange-list", "get", lambda w: "/api/v1/exchanges", None, READ),
    (
        "exchange-detail",
        "get",
        lambda w: f"/api/v1/exchanges/{w.exchange.pk}",
        None,
        READ_TWENTE,
    ),
    (
        "exchange-create",
        "post",
        lambda w: "/api/v1/exchanges",
        lambda w: {
            "from_municipality": "GM0164",
            "from_assignment": w.assignment.code,
            "to_municipality": "GM0153",
            "places": 2,
            "reason": "Terug naar Enschede",
            "date": "2023-03-01",
        },
        COORDINATE_CREATE,
    ),
    (
        "exchange-withdraw",
        "post",
        lambda w: f"/api/v1/exchanges/{w.exchange.pk}/withdraw",
        None,
        COORDINATE,
    ),
    # --- allocation preview: reads figures, saves nothing ---
    (
        "preview-own-region",
        "post",
        lambda w: "/api/v1/allocations/preview",
        lambda w: {"total": 10},
        READ,
    ),
    (
        "preview-twente",
        "post",
        lambda w: "/api/v1/allocations/preview",
        lambda w: {"total": 10, "region": "VR05"},
        READ_TWENTE,
    ),
    # --- overview ---
    ("overview-twente", "get", lambda w: "/api/v1/overview?region=VR05", None, READ_TWENTE),
    # --- minutes ---
    ("meeting-list", "get", lambda w: "/api/v1/meetings", None, MINUTES),
    ("meeting-detail", "get", lambda w: f"/api/v1/meetings/{w.meeting.pk}", None, MINUTES_TWENTE),
    (
        "meeting-create",
        "post",
        lambda w: "/api/v1/meetings",
        lambda w: {"date": "2024-01-01"},
        expect(405),
    ),
    ("action-list", "get", lambda w: "/api/v1/actions?status=open", None, MINUTES),
    ("action-detail", "get", lambda w: f"/api/v1/actions/{w.action.pk}", None, MINUTES_TWENTE),
    (
        "action-update",
        "patch",
        lambda w: f"/api/v1/actions/{w.action.pk}",
        lambda w: {"status": "done"},
        expect(405),
    ),
]

# Matching (the phone team): coordinators and project leaders only.
MATCHING = expect(200, provincial_reader=403, secretary=403)
MATCHING_ENSCHEDE = expect(
    200,
    provincial_reader=403,
    secretary=403,
    project_leader_elsewhere=403,
    coordinator_elsewhere=403,
)


def _placement_path(world, suffix=""):
    from tests.matching.factories import PlacementFactory

    placement = PlacementFactory(location=world.location, target_group="asylum")
    return f"/api/v1/placements/{placement.pk}" + (f"/{suffix}" if suffix else "")


MATRIX += [
    (
        "matches",
        "get",
        lambda w: "/api/v1/matches?people=1&target_group=asylum",
        None,
        MATCHING,
    ),
    ("placement-list", "get", lambda w: "/api/v1/placements", None, MATCHING),
    ("placement-detail", "get", _placement_path, None, MATCHING_ENSCHEDE),
    (
        "placement-create",
        "post",
        lambda w: "/api/v1/placements",
        lambda w: {"location": "LOC-ENS", "people": 1, "target_group": "asylum"},
        expect(403, project_leader=201, coordinator=201),
    ),
    (
        "placement-cancel",
        "post",
        lambda w: _placement_path(w, "cancel"),
        None,
        expect(403, project_leader=200, coordinator=200),
    ),
]

CASES = [
    pytest.param(method, path, body, role, statuses[role], id=f"{name}-{role}")
    for name, method, path, body, statuses in MATRIX
    for role in ROLES
]


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), CASES)
def test_each_role_gets_the_documented_status(
    api_client, world, method, path, body, role, expected
):
    user = make_user(role, world)
    if user is not None:
        api_client.force_authenticate(user)
    data = body(world) if body else None
    response = getattr(api_client, method)(path(world), data, format="json")
    assert response.status_code == expected, response.content[:500]
    if expected in (401, 403, 405):
        assert "detail" in response.json()


def _snapshot():
    return (
        list(Location.objects.order_by("pk").values()),
        list(CapacityReport.objects.order_by("pk").values()),
        list(Assignment.objects.order_by("pk").values()),
        list(Exchange.objects.order_by("pk").values()),
        list(Placement.objects.order_by("pk").values()),
        list(PermitHolderReport.objects.order_by("pk").values()),
    )


REFUSED_WRITES = [
    pytest.param(method, path, body, role, id=f"{name}-{role}")
    for name, method, path, body, statuses in MATRIX
    if method != "get" and not name.startswith("preview")
    for role in ROLES
    if statuses[role] in (401, 403)
]


@pytest.mark.parametrize(("method", "path", "body", "role"), REFUSED_WRITES)
def test_a_refused_write_changes_nothing(api_client, world, method, path, body, role):
    user = make_user(role, world)
    if user is not None:
        api_client.force_authenticate(user)
    url, data = path(world), body(world) if body else None
    before = _snapshot()
    getattr(api_client, method)(url, data, format="json")
    assert _snapshot() == before


def test_a_project_leader_cannot_move_a_location_to_another_municipality(api_client, world):
    api_client.force_authenticate(make_user("project_leader", world))
    response = api_client.patch(
        "/api/v1/locations/LOC-ENS", {"municipality": "GM0164"}, format="json"
    )
    assert response.status_code == 403
    world.location.refresh_from_db()
    assert world.location.municipality == world.enschede


def test_a_project_leader_cannot_create_a_location_in_another_municipality(api_client, world):
    api_client.force_authenticate(make_user("project_leader", world))
    response = api_client.post(
        "/api/v1/locations",
        _location_body(world, code="LOC-HEN-2", municipality="GM0164", place="Hengelo"),
        format="json",
    )
    assert response.status_code == 403
    assert not Location.objects.filter(code="LOC-HEN-2").exists()


def test_a_project_leader_reports_only_for_their_own_municipality(api_client, world):
    api_client.force_authenticate(make_user("project_leader", world))
    body = {"location": "LOC-HEN", "date": TODAY, "capacity": 60, "occupied": 1}
    assert api_client.post("/api/v1/capacity-reports", body, format="json").status_code == 403
    assert not CapacityReport.objects.filter(location__code="LOC-HEN", occupied=1).exists()


def test_another_regions_coordinator_cannot_create_an_exchange_in_twente(api_client, world):
    api_client.force_authenticate(make_user("coordinator_elsewhere", world))
    response = api_client.post(
        "/api/v1/exchanges",
        {
            "from_municipality": "GM0164",
            "from_assignment": world.assignment.code,
            "to_municipality": "GM0153",
            "places": 1,
            "reason": "x",
            "date": "2023-03-01",
        },
        format="json",
    )
    assert response.status_code == 403
    assert Exchange.objects.count() == 1


def test_lists_show_only_the_callers_reach(api_client, world):
    def codes(role, path, key):
        client = api_client
        client.force_authenticate(make_user(role, world))
        return sorted(row[key] for row in client.get(path).json()["results"])

    assert codes("project_leader", "/api/v1/locations", "code") == ["LOC-ENS"]
    assert codes("secretary", "/api/v1/locations", "code") == ["LOC-ENS", "LOC-HEN"]
    assert codes("coordinator_elsewhere", "/api/v1/locations", "code") == []
    assert codes("coordinator_elsewhere", "/api/v1/capacity-reports", "location") == []
    assert codes("coordinator_elsewhere", "/api/v1/assignments", "code") == []
    assert codes("coordinator_elsewhere", "/api/v1/exchanges", "id") == []
    assert codes("provincial_reader", "/api/v1/assignments", "code") == ["asylum-2023"]


def test_unknown_codes_give_404_not_403(api_client, world):
    api_client.force_authenticate(make_user("coordinator_elsewhere", world))
    for path in (
        "/api/v1/locations/NOPE",
        "/api/v1/assignments/nope",
        "/api/v1/exchanges/999999",
        "/api/v1/capacity-reports/999999",
        "/api/v1/municipalities/GM9999",
    ):
        assert api_client.get(path).status_code == 404, path


def test_a_provincial_reader_with_another_role_reads_the_minutes(api_client, world):
    from django.contrib.auth.models import Group

    user = make_user("provincial_reader", world)
    user.groups.add(Group.objects.get_or_create(name="secretary")[0])
    api_client.force_authenticate(user)
    response = api_client.get("/api/v1/meetings")
    assert response.status_code == 200
    # The secretary role reads the region's TRA, which the provincial role alone leaves out.
    assert [row["id"] for row in response.json()["results"]] == [world.meeting.pk]


def test_a_token_client_gets_the_same_answers(api_client, world):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=make_user("provincial_reader", world))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api_client.get("/api/v1/locations").status_code == 200
    # Twente's TRA is left out of a provincial reader's list (issue 14), not refused.
    meetings = api_client.get("/api/v1/meetings")
    assert meetings.status_code == 200 and meetings.json()["results"] == []
    body = {"location": "LOC-ENS", "date": TODAY, "capacity": 60, "occupied": 57}
    assert api_client.post("/api/v1/capacity-reports", body, format="json").status_code == 403
    api_client.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert api_client.get("/api/v1/locations").status_code == 401
