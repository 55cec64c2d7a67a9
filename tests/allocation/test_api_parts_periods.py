"""Issue 23 in the assignments API: `realise_by`, the availability period, `ended`, `parent`
and `parts` (each a task with its own code, total and shares)."""

import pytest

from allocation.models import Assignment, Share
from municipalities.models import SafetyRegion
from tests.allocation.factories import assignment_with_shares
from tests.factories import UserFactory
from tests.problems import field_errors

API = "/api/v1/assignments"
CRISIS = {
    "code": "cno-2022",
    "title": "Crisisnoodopvang 225",
    "target_group": "asylum",
    "issuer": "rijk",
    "total": 225,
    "location_types": ["cno", "hotel"],
    "realise_by": "2022-07-01",
    "available_from": "2022-07-01",
    "available_until": "2022-10-01",
    "reference_date": "2022-01-01",
    "minimum": 10,
}


@pytest.fixture
def as_coordinator(api_client, region):
    api_client.force_authenticate(UserFactory(role="coordinator"))
    return api_client


def test_a_task_with_an_availability_period_round_trips(as_coordinator):
    response = as_coordinator.post(API, CRISIS, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["realise_by"], body["available_from"], body["available_until"]) == (
        "2022-07-01",
        "2022-07-01",
        "2022-10-01",
    )
    assert body["deadline"] == "2022-07-01"  # the old name reads the same date
    assert body["ended"] is True and body["parts"] == [] and body["parent"] is None


def test_the_old_name_deadline_still_writes_realise_by(as_coordinator):
    old = {key: value for key, value in CRISIS.items() if key != "realise_by"}
    response = as_coordinator.post(API, {**old, "deadline": "2022-09-01"}, format="json")
    assert response.status_code == 201, response.json()
    assert Assignment.objects.get(code="cno-2022").realise_by.isoformat() == "2022-09-01"


def test_a_part_is_created_with_its_parent_and_listed_under_it(as_coordinator):
    assignment_with_shares(code="asylum-2023-04", total=1944, location_types=["azc", "amv"])
    part = {
        **CRISIS,
        "code": "asylum-2023-04-amv",
        "total": 133,
        "location_types": ["amv"],
        "parent": "asylum-2023-04",
        "minimum": 0,
    }
    response = as_coordinator.post(API, part, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["parent"] == "asylum-2023-04"

    body = as_coordinator.get(f"{API}/asylum-2023-04").json()
    (listed,) = body["parts"]
    assert (listed["code"], listed["total"], listed["location_types"]) == (
        "asylum-2023-04-amv",
        133,
        ["amv"],
    )
    assert len(listed["shares"]) == 14
    assert sum(share["share"] for share in listed["shares"]) == 133
    assert listed["gap"] == 133


def test_a_part_larger_than_its_parent_gives_400(as_coordinator):
    assignment_with_shares(code="asylum", total=100)
    response = as_coordinator.post(
        API, {**CRISIS, "total": 225, "parent": "asylum", "minimum": 0}, format="json"
    )
    assert response.status_code == 400
    assert "groter dan de taakstelling" in str(field_errors(response))
    assert not Assignment.objects.filter(code="cno-2022").exists()


def test_a_parent_of_another_region_is_refused(as_coordinator):
    other = assignment_with_shares(code="elsewhere", total=1000)
    Assignment.objects.filter(pk=other.pk).update(region=SafetyRegion.objects.get(code="VR04"))
    response = as_coordinator.post(API, {**CRISIS, "parent": "elsewhere"}, format="json")
    assert response.status_code == 400
    assert not Assignment.objects.filter(code="cno-2022").exists()


def test_the_list_with_parts_stays_a_fixed_number_of_queries(
    as_coordinator, django_assert_max_num_queries
):
    for n in range(6):
        parent = assignment_with_shares(code=f"task-{n}", total=1000)
        assignment_with_shares(code=f"task-{n}-amv", total=50, parent=parent)
    # Role, membership, count, page, shares, parts, the parts' shares.
    with django_assert_max_num_queries(8):
        response = as_coordinator.get(f"{API}?page_size=500")
    results = response.json()["results"]
    assert len(results) == 12
    assert Share.objects.count() == 12 * 14
    assert sum(len(task["parts"]) for task in results) == 6
