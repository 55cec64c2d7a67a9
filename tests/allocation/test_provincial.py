"""Issue 23: a provincial task (issuer the province or the Rijk) split over the province's
safety regions by the engine; each region's part becomes its task; the province overview
(page and API) shows the total, each region's part and its realisation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from allocation.choices import AssignmentStatus, Key
from allocation.models import Assignment, ProvincialTask
from allocation.provincial import provincial_standings
from allocation.services import provincial_task_create, provincial_task_split
from capacity.choices import LocationType
from municipalities.models import KeyFigure, Municipality, Province, SafetyRegion
from tests.allocation.factories import assignment_with_shares
from tests.dashboard.factories import location_with_reports, snapshots_recompute
from tests.factories import UserFactory

D = datetime.date
REGULAR = ["azc", "coa_emergency", "amv"]


def _task(**fields) -> ProvincialTask:
    defaults = {
        "code": "asylum-pv23",
        "title": "Asielzoekers Overijssel",
        "target_group": "asylum",
        "issuer": "rijk",
        "province": Province.objects.get(code="PV23"),
        "total": 3593,
        "location_types": REGULAR,
        "realise_by": D(2023, 4, 1),
    }
    return provincial_task_create(**{**defaults, **fields})


def _adopt(task: ProvincialTask) -> None:
    ProvincialTask.objects.filter(pk=task.pk).update(status=AssignmentStatus.ADOPTED)


@pytest.fixture
def ijsselland_municipality(region):
    """One IJsselland municipality with a population, so both regions have a weight."""
    zwolle = Municipality.objects.create(
        code="GM0193", name="Zwolle", safety_region=SafetyRegion.objects.get(code="VR04")
    )
    KeyFigure.objects.create(municipality=zwolle, date=D(2022, 1, 1), population=633_917)
    return zwolle


def test_the_engine_splits_by_population_and_each_part_becomes_the_regions_task(
    ijsselland_municipality,
):
    task = _task(total=1000)
    parts = {part.region.code: part for part in provincial_task_split(task=task)}

    # Zwolle here has as many inhabitants as Twente: two equal halves.
    assert (parts["VR04"].computed_part, parts["VR05"].computed_part) == (500, 500)
    twente = Assignment.objects.get(code="asylum-pv23-vr05")
    assert (twente.total, twente.region.code, twente.location_types) == (500, "VR05", REGULAR)
    assert twente.provincial_part == parts["VR05"]
    assert parts["VR04"].assignment.total == 500
    # Splitting again writes the same parts and changes nothing.
    again = {part.region.code: part for part in provincial_task_split(task=task)}
    assert again["VR05"].assignment.pk == twente.pk
    assert Assignment.objects.filter(code__startswith="asylum-pv23").count() == 2


def test_custom_weights_agreed_parts_and_an_existing_regional_task(region):
    twente = assignment_with_shares(code="asylum-2023-04", total=1944)
    task = _task(key=Key.CUSTOM, weights={"VR04": 1650, "VR05": 1944})
    parts = provincial_task_split(
        task=task,
        agreed={"VR05": (1944, "Tabel 2.1")},
        assignments={"VR05": twente},
    )
    by_region = {part.region.code: part for part in parts}
    assert (by_region["VR05"].computed_part, by_region["VR05"].part) == (1943, 1944)
    assert by_region["VR05"].assignment.pk == twente.pk
    # IJsselland's municipalities are not in the system: its part has no task of its own.
    assert (by_region["VR04"].part, by_region["VR04"].assignment) == (1650, None)


@pytest.mark.parametrize(
    ("fields", "split", "message"),
    [
        ({"issuer": "tra"}, {}, "van de provincie of het Rijk"),
        ({"key": Key.CUSTOM, "weights": {"VR05": 0}}, {}, "gewicht groter dan 0"),
        ({"key": Key.CUSTOM, "weights": {"VR01": 1}}, {}, "Geen veiligheidsregio van"),
        ({"key": Key.EQUAL}, {}, "naar inwonertal of eigen gewichten"),
        ({}, {"agreed": {"VR05": (1944, " ")}}, "Geef een reden"),
    ],
)
def test_an_impossible_split_is_refused_in_dutch(region, fields, split, message):
    with pytest.raises(ValidationError) as error:
        provincial_task_split(task=_task(**fields), **split)
    assert message in str(error.value)
    assert not Assignment.objects.exists()


def test_the_province_page_and_api_show_each_regions_part_and_realisation(
    region, client, api_client
):
    location_with_reports("AZC", "GM0164", [(D(2022, 11, 1), 250, 200)], type=LocationType.AZC)
    location_with_reports("CNO", "GM0164", [(D(2022, 11, 1), 40, 40)], type=LocationType.CNO)
    snapshots_recompute()
    task = _task(key=Key.CUSTOM, weights={"VR04": 1650, "VR05": 1944})
    provincial_task_split(task=task)
    _adopt(task)

    reader = UserFactory(username="prov", role="provincial_reader")
    client.force_login(reader)
    content = client.get(reverse("dashboard:province"), {"date": "2022-12-01"}).content.decode()
    assert 'data-task="asylum-pv23"' in content
    assert "waarvan Twente" in content and "waarvan IJsselland" in content

    api_client.force_authenticate(reader)
    body = api_client.get("/api/v1/overview/province", {"date": "2022-12-01"}).json()
    (provincial,) = body["provincial_tasks"]
    assert (provincial["code"], provincial["total"], provincial["realised"]) == (
        "asylum-pv23",
        3593,
        250,  # the AZC only: CNO places do not count toward the regular task
    )
    parts = {part["region"]: part for part in provincial["parts"]}
    assert parts["VR05"] == {
        "region": "VR05",
        "name": "Twente",
        "computed": 1943,
        "agreed": None,
        "total": 1943,
        "realised": 250,
        "gap": 1693,
        "assignment": "asylum-pv23-vr05",
    }
    assert parts["VR04"]["realised"] == 0
    # A draft or expired provincial task is not shown.
    assert provincial_standings(province_code="PV23", on=D(2023, 4, 2)) == []


def test_the_provincial_standings_read_a_fixed_number_of_queries(region, django_assert_num_queries):
    for n in range(3):
        task = _task(code=f"task-{n}", key=Key.CUSTOM, weights={"VR04": 1, "VR05": 1}, total=10)
        provincial_task_split(task=task)
        _adopt(task)
    # The tasks, their parts (with regions and regional tasks), the places per region.
    with django_assert_num_queries(3):
        standings = provincial_standings(province_code="PV23", on=D(2022, 12, 1))
    assert len(standings) == 3 and all(len(s.parts) == 2 for s in standings)


def test_a_coordinator_of_another_province_does_not_see_the_provincial_tasks(region, client):
    task = _task(key=Key.CUSTOM, weights={"VR04": 1, "VR05": 1})
    provincial_task_split(task=task)
    _adopt(task)
    client.force_login(UserFactory(username="coord", role="coordinator"))
    response = client.get(reverse("dashboard:province"), {"province": "PV20"})
    assert response.status_code == 403
