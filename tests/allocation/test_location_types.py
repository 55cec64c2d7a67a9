"""Issue 23, part 1: a task states which location types count toward it, and realisation,
gaps, the overview (page, API, exports) use exactly those.

The reference data (`load_twente`) as of 2022-12-01: 379 CNO places in 16 locations, the
AZCs Hengelo 250 and Almelo 394 operational (Albergen's 150 in preparation). The regular
asylum task counts `azc`, `coa_emergency` and `amv`; the crisis task `cno` and `hotel`.
"""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from allocation.models import Assignment, Share
from allocation.selectors import places_realised
from allocation.services import assignment_update, realisation_recompute
from capacity.choices import LocationType
from municipalities.models import SafetyRegion
from tests.allocation.factories import AssignmentFactory, assignment_with_shares
from tests.dashboard.factories import location_with_reports, snapshots_recompute
from tests.factories import UserFactory
from twente.overview import area_overview, overview_as_of

DEC_2022 = datetime.date(2022, 12, 1)
REGULAR = ["azc", "coa_emergency", "amv"]
API = "/api/v1/assignments"


@pytest.fixture
def coordinator_api(api_client, region):
    api_client.force_authenticate(UserFactory(username="coord", role="coordinator"))
    return api_client


# --- the reference data ---------------------------------------------------------------------


def test_the_regular_asylum_task_counts_the_azc_places_only(twente):
    overview = overview_as_of(region=SafetyRegion.objects.get(code="VR05"), on=DEC_2022)
    asylum = overview.group("asylum")
    assert overview.tasks["asylum"].code == "asylum-2023-04"
    assert asylum.location_types == tuple(REGULAR)
    assert (asylum.operational, asylum.realised) == (644 + 379, 644)
    assert asylum.gap == 1944 - 644
    almelo = next(m for m in overview.municipalities if m.code == "GM0141").group("asylum")
    # Almelo's CNO (56 places) is operational but does not count toward the regular task.
    assert (almelo.operational, almelo.realised) == (394 + 56, 394)
    assert almelo.gap == almelo.required - 394
    enschede = next(m for m in overview.municipalities if m.code == "GM0153").group("asylum")
    assert (enschede.operational, enschede.realised) == (59, 0)


def test_the_crisis_task_counts_the_cno_places_only(twente):
    crisis = Assignment.objects.select_related("region").get(code="asylum-cno-2022-10")
    assert crisis.location_types == ["cno", "hotel"]
    realised = places_realised(crisis, on=DEC_2022)
    assert sum(realised.values()) == 379
    # Almelo: its CNO's 56, not its AZC's 394 (which count toward the regular task).
    assert realised["GM0141"] == 56
    regular = Assignment.objects.select_related("region").get(code="asylum-2023-04")
    assert sum(places_realised(regular, on=DEC_2022).values()) == 644


def test_the_seeded_tasks_state_their_types(twente):
    types = dict(Assignment.objects.values_list("code", "location_types"))
    assert types["asylum-2023-04"] == types["asylum-2024-01"] == REGULAR
    assert types["asylum-cno-2022-10"] == ["cno", "hotel"]
    assert types["ukraine-2022-12"] == ["ukraine_municipal", "hotel", "intermediate"]
    # Permit holders count persons housed, not places.
    assert types["permit-holders-2023-h1"] == types["permit-holders-2023-h2"] == []


def test_the_province_overview_counts_each_regions_task_types(twente):
    overview = area_overview(province=SafetyRegion.objects.get(code="VR05").province, on=DEC_2022)
    twente_asylum = next(r for r in overview.regions if r.code == "VR05").group("asylum")
    assert (twente_asylum.operational, twente_asylum.realised) == (1023, 644)
    assert twente_asylum.location_types == tuple(REGULAR)


def test_the_overview_api_and_its_export_carry_the_types(twente, api_client):
    api_client.force_authenticate(UserFactory(username="prov", role="provincial_reader"))
    body = api_client.get("/api/v1/overview", {"region": "VR05", "date": "2022-12-01"}).json()
    asylum = body["target_groups"][0]
    assert (asylum["realised"], asylum["location_types"]) == (644, REGULAR)
    assert asylum["gap"] == 1944 - 644
    permit_holders = body["target_groups"][1]
    assert permit_holders["location_types"] is None
    response = api_client.get(
        "/api/v1/overview", {"region": "VR05", "date": "2022-12-01", "format": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    region_asylum = next(
        row for row in rows if row["municipality"] == "VR05" and row["target_group"] == "asylum"
    )
    assert (region_asylum["realised"], region_asylum["location_types"]) == (
        "644",
        "azc,coa_emergency,amv",
    )


def test_the_dashboard_says_which_types_count(twente, client):
    client.force_login(UserFactory(username="coord", role="coordinator"))
    response = client.get("/", {"date": "2022-12-01"})
    content = response.content.decode()
    assert "telt: Azc (COA), Noodopvang COA, Amv-locatie" in content
    asylum = response.context["picture"].groups[0].figures
    assert (asylum.realised, asylum.gap) == (644, 1300)
    export = client.get(
        reverse("dashboard:export"),
        {"table": "target_groups", "format": "csv", "date": "2022-12-01"},
    )
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-1] == "Meetellende locatietypen"
    assert rows[1][-1] == "azc, coa_emergency, amv"


def test_the_task_page_names_the_types(twente, client):
    client.force_login(UserFactory(username="coord", role="coordinator"))
    content = client.get(reverse("allocation:assignment-detail", args=["asylum-cno-2022-10"]))
    assert "Crisisnoodopvang (CNO), Hotel of vakantiepark" in content.content.decode()


# --- realisation ----------------------------------------------------------------------------


def _twente_places(day: datetime.date) -> None:
    location_with_reports("AZC-ALM", "GM0141", [(day, 394, 374)], type=LocationType.AZC)
    location_with_reports("CNO-ALM", "GM0141", [(day, 56, 53)], type=LocationType.CNO)
    location_with_reports(
        "UA-ALM", "GM0141", [(day, 80, 70)], type=LocationType.HOTEL, target_group="ukraine"
    )
    snapshots_recompute()


def test_a_task_counts_only_its_types_of_its_own_target_group(region):
    day = datetime.date(2023, 3, 1)
    _twente_places(day)
    crisis = assignment_with_shares(total=225, location_types=["cno", "hotel"], deadline=day)
    regular = assignment_with_shares(total=1944, location_types=REGULAR, deadline=day)
    every = assignment_with_shares(total=500, deadline=day)
    realisation_recompute(today=day)

    def realised(task):
        return Share.objects.get(assignment=task, municipality__code="GM0141").realised

    # The Ukrainian hotel is of another target group: it counts toward neither.
    assert (realised(crisis), realised(regular), realised(every)) == (56, 394, 450)


def test_changing_the_types_recomputes_the_realisation(region, eager_celery):
    day = datetime.date(2023, 3, 1)
    _twente_places(day)
    task = assignment_with_shares(total=225, location_types=["cno"], deadline=day)
    realisation_recompute(today=day)
    assert Assignment.objects.with_totals().get(pk=task.pk).realised_total == 56
    assignment_update(assignment=task, location_types=["azc", "cno"])
    realisation_recompute(assignment_ids=[task.pk], today=day)
    assert Assignment.objects.with_totals().get(pk=task.pk).realised_total == 450


@pytest.mark.parametrize(
    ("types", "message"),
    [
        (["castle"], "Onbekend locatietype: castle."),
        (["cno", "cno"], "Elk locatietype mag maar één keer voorkomen."),
        ("cno", "Geef de meetellende locatietypen als een lijst van typen."),
    ],
)
def test_impossible_types_are_refused(region, types, message):
    task = AssignmentFactory.build(
        region=SafetyRegion.objects.get(code="VR05"), location_types=types
    )
    with pytest.raises(ValidationError) as caught:
        task.full_clean()
    assert caught.value.message_dict["location_types"] == [message]


def test_a_permit_holder_task_takes_no_types(region):
    with pytest.raises(ValidationError) as caught:
        assignment_with_shares(
            target_group="permit_holders", total=764, location_types=["intermediate"]
        )
    assert "telt gehuisveste personen" in caught.value.message_dict["location_types"][0]
    assert not Assignment.objects.exists()


# --- API and form ---------------------------------------------------------------------------


def test_the_api_creates_and_shows_a_task_with_its_types(coordinator_api):
    response = coordinator_api.post(
        API,
        {
            "code": "cno-450",
            "title": "CNO 450",
            "target_group": "asylum",
            "issuer": "rijk",
            "total": 450,
            "location_types": ["cno", "hotel"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["location_types"] == ["cno", "hotel"]
    assert coordinator_api.get(f"{API}/cno-450").json()["location_types"] == ["cno", "hotel"]


def test_the_api_refuses_an_unknown_type(coordinator_api):
    response = coordinator_api.post(
        API,
        {
            "code": "cno-450",
            "title": "CNO 450",
            "target_group": "asylum",
            "issuer": "rijk",
            "total": 450,
            "location_types": ["castle"],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "location_types" in response.content.decode()
    assert not Assignment.objects.filter(code="cno-450").exists()


def test_a_project_leader_cannot_change_the_types(api_client, region):
    task = assignment_with_shares(code="t", location_types=["azc"])
    api_client.force_authenticate(UserFactory(role="project_leader"))
    response = api_client.patch(f"{API}/t", {"location_types": ["cno"]}, format="json")
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.location_types == ["azc"]


def test_the_form_saves_the_checked_types(client, region):
    client.force_login(UserFactory(role="coordinator"))
    response = client.post(
        reverse("allocation:assignment-new"),
        {
            "total": "225",
            "key": "population",
            "method": "largest_remainder",
            "minimum": "10",
            "area_weight": "0.5",
            "code": "cno-225",
            "title": "Crisisnoodopvang 225",
            "target_group": "asylum",
            "issuer": "rijk",
            "location_types": ["cno", "hotel"],
            "action": "draft",
        },
    )
    assert response.status_code == 302
    assert Assignment.objects.get(code="cno-225").location_types == ["cno", "hotel"]
