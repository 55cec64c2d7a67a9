"""Credited effort (issue 23): delivered or planned effort counts as realised in a share;
credited places that close reduce the credit, and planned effort lapses on its due date
when it was not delivered, so the shortfall shows again."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from allocation.choices import CreditKind
from allocation.credit_rules import credit_value
from allocation.models import Assignment, Credit, Share
from allocation.services import credit_create, credit_remove, realisation_recompute
from capacity.choices import LocationStatus, LocationType, TargetGroup
from capacity.models import CapacityReport
from municipalities.models import Municipality, SafetyRegion
from tests.allocation.factories import assignment_with_shares
from tests.capacity.factories import LocationFactory
from tests.factories import SafetyRegionFactory, UserFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2022, 10, 1)


# --- the rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "on", "state", "capacity", "counts", "expected"),
    [
        # Without a location: delivered counts, planned until its due date.
        (CreditKind.DELIVERED, DUE + datetime.timedelta(days=90), None, None, False, 30),
        (CreditKind.PLANNED, DUE, None, None, False, 30),
        (CreditKind.PLANNED, DUE + datetime.timedelta(days=1), None, None, False, 0),
        # A location that holds the places, at most its capacity; closed: nothing.
        (CreditKind.DELIVERED, DUE, "operational", 20, False, 20),
        (CreditKind.DELIVERED, DUE, "winding_down", 50, False, 30),
        (CreditKind.DELIVERED, DUE, "closed", 50, False, 0),
        (CreditKind.DELIVERED, DUE, "contract_ended", 50, False, 0),
        # Planned at a location still to open: until the due date only.
        (CreditKind.PLANNED, DUE, "preparing", None, True, 30),
        (CreditKind.PLANNED, DUE + datetime.timedelta(days=1), "planned", None, True, 0),
        # Once a location of a type that counts is open, its places are in `realised`.
        (CreditKind.PLANNED, DUE, "operational", 40, True, 0),
    ],
)
def test_credit_value(kind, on, state, capacity, counts, expected):
    value = credit_value(
        kind=kind,
        places=30,
        due_on=DUE,
        on=on,
        location_state=state,
        location_capacity=capacity,
        location_counts=counts,
    )
    assert value == expected


# --- the shares ---------------------------------------------------------------------------------


def crisis_task(deadline: datetime.date) -> Assignment:
    return assignment_with_shares(
        code=f"cno-{deadline.isoformat()}",
        total=225,
        minimum=10,
        location_types=["cno", "hotel"],
        deadline=deadline,
    )


def share(assignment: Assignment, code: str) -> Share:
    return Share.objects.with_effective().get(assignment=assignment, municipality__code=code)


def borne() -> Municipality:
    return Municipality.objects.get(code="GM0147")


def test_a_share_struck_for_planned_effort_has_no_gap_until_its_due_date(region):
    """Seed 003: "De gevraagde plekken zijn weggestreept vanwege de geplande inspanning"."""
    before_due = crisis_task(DUE - datetime.timedelta(days=1))
    after_due = crisis_task(DUE + datetime.timedelta(days=14))
    for task in (before_due, after_due):
        asked = share(task, "GM0147").effective_share
        credit_create(
            assignment=task,
            municipality=borne(),
            kind=CreditKind.PLANNED,
            places=asked,
            due_on=DUE,
            reason="weggestreept vanwege de geplande inspanning",
        )
    assert share(before_due, "GM0147").gap == 0
    assert share(before_due, "GM0147").credited == share(before_due, "GM0147").effective_share
    # Not delivered by its due date: the shortfall is back, the issued share unchanged.
    late = share(after_due, "GM0147")
    assert (late.credited, late.gap) == (0, late.effective_share)
    totals = Assignment.objects.with_totals().get(pk=after_due.pk)
    assert (totals.total, totals.credited_total, totals.gap) == (225, 0, 225)


def test_credited_places_that_close_reduce_the_credit(region):
    task = crisis_task(datetime.date(2022, 12, 31))
    # An intermediate facility does not count toward the crisis task by its type: only the
    # credit brings it in.
    location = LocationFactory(
        code="BRN-TV",
        municipality=borne(),
        type=LocationType.INTERMEDIATE,
        target_group=TargetGroup.ASYLUM,
        opened_on=datetime.date(2022, 6, 1),
    )
    CapacityReport.objects.create(
        location=location, date=datetime.date(2022, 6, 1), capacity=8, occupied=5, source="form"
    )
    credit_create(
        assignment=task,
        municipality=borne(),
        places=12,
        location=location,
        reason="Tussenvoorziening Borne sinds juni",
    )
    asked = share(task, "GM0147").effective_share
    # At most the places the location has.
    assert (share(task, "GM0147").credited, share(task, "GM0147").gap) == (8, asked - 8)
    location.contract_end = datetime.date(2022, 11, 30)
    location.status = LocationStatus.CLOSED
    location.save()
    realisation_recompute(assignment_ids=[task.pk])
    assert (share(task, "GM0147").credited, share(task, "GM0147").gap) == (0, asked)


def test_planned_places_at_a_location_that_opens_are_not_counted_twice(region):
    task = crisis_task(DUE - datetime.timedelta(days=1))
    location = LocationFactory(
        code="BRN-CNO",
        municipality=borne(),
        type=LocationType.CNO,
        target_group=TargetGroup.ASYLUM,
        status=LocationStatus.PREPARING,
    )
    credit_create(
        assignment=task,
        municipality=borne(),
        kind=CreditKind.PLANNED,
        places=10,
        due_on=DUE,
        location=location,
        reason="CNO Borne in voorbereiding",
    )
    assert (share(task, "GM0147").credited, share(task, "GM0147").realised) == (10, 0)
    location.status = LocationStatus.OPERATIONAL
    location.opened_on = datetime.date(2022, 9, 1)
    location.save()
    CapacityReport.objects.create(
        location=location, date=datetime.date(2022, 9, 1), capacity=12, occupied=0, source="form"
    )
    realisation_recompute(assignment_ids=[task.pk])
    opened = share(task, "GM0147")
    assert (opened.credited, opened.realised) == (0, 12)


def test_removing_a_credit_reopens_the_gap(region):
    task = crisis_task(datetime.date(2022, 12, 31))
    credit = credit_create(
        assignment=task, municipality=borne(), places=5, reason="geleverd juni-september"
    )
    asked = share(task, "GM0147").effective_share
    assert share(task, "GM0147").gap == asked - 5
    credit_remove(credit=credit)
    assert share(task, "GM0147").gap == asked


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"kind": CreditKind.PLANNED}, "due_on"),
        ({"reason": "  "}, "reason"),
    ],
)
def test_a_credit_needs_a_due_date_when_planned_and_a_reason(region, fields, error):
    task = crisis_task(datetime.date(2022, 12, 31))
    with pytest.raises(ValidationError) as raised:
        credit_create(
            **{"assignment": task, "municipality": borne(), "places": 5, "reason": "x", **fields}
        )
    assert error in raised.value.message_dict
    assert not Credit.objects.exists()


def test_a_credit_of_another_regions_municipality_or_location_is_refused(region):
    task = crisis_task(datetime.date(2022, 12, 31))
    other = Municipality.objects.exclude(safety_region__code="VR05").first()
    if other is None:
        other = Municipality.objects.create(
            code="GM0193", name="Zwolle", safety_region=SafetyRegion.objects.get(code="VR04")
        )
    with pytest.raises(ValidationError) as raised:
        credit_create(assignment=task, municipality=other, places=5, reason="x")
    assert "municipality" in raised.value.message_dict
    elsewhere = LocationFactory(code="ENS-1", municipality=Municipality.objects.get(code="GM0153"))
    with pytest.raises(ValidationError) as raised:
        credit_create(
            assignment=task, municipality=borne(), places=5, location=elsewhere, reason="x"
        )
    assert "location" in raised.value.message_dict


# --- API and pages ------------------------------------------------------------------------------


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_the_api_records_lists_and_removes_credits(region):
    task = crisis_task(DUE - datetime.timedelta(days=1))
    twente = SafetyRegion.objects.get(code="VR05")
    client = client_of(UserFactory(role="coordinator", scope__region=twente))
    created = post_json(
        client,
        "/api/v1/credits",
        {
            "assignment": task.code,
            "municipality": "GM0147",
            "kind": "planned",
            "places": 7,
            "due_on": "2022-10-01",
            "reason": "gepland",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind"], body["places"], body["due_on"]) == ("planned", 7, "2022-10-01")
    listed = client.get("/api/v1/credits").json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    detail = client.get(f"/api/v1/assignments/{task.code}").json()
    borne_share = next(row for row in detail["shares"] if row["municipality"] == "GM0147")
    assert borne_share["credited"] == 7
    assert detail["credited_total"] == 7
    assert borne_share["gap"] == borne_share["effective_share"] - 7
    missing_due = post_json(
        client,
        "/api/v1/credits",
        {
            "assignment": task.code,
            "municipality": "GM0147",
            "kind": "planned",
            "places": 7,
            "reason": "gepland",
        },
    )
    assert missing_due.status_code == 400
    assert client.delete(f"/api/v1/credits/{body['id']}").status_code == 204
    assert not Credit.objects.exists()


@pytest.mark.parametrize("role", ["project_leader", "secretary", "provincial_reader"])
def test_only_coordinators_record_credits(region, role):
    task = crisis_task(DUE)
    twente = SafetyRegion.objects.get(code="VR05")
    user = UserFactory(role=role, scope__region=twente, scope__municipality=borne())
    client = client_of(user)
    body = {"assignment": task.code, "municipality": "GM0147", "places": 5, "reason": "x"}
    assert post_json(client, "/api/v1/credits", body).status_code == 403
    assert client.get(f"/allocations/{task.code}/credits/new/").status_code == 403
    page = client.post(f"/allocations/{task.code}/credits/new/", {**body, "kind": "delivered"})
    assert page.status_code == 403
    assert not Credit.objects.exists()


def test_a_coordinator_of_another_region_cannot_credit_twentes_task(region):
    task = crisis_task(DUE)
    other = SafetyRegionFactory(code="VR04", name="IJsselland")
    client = client_of(UserFactory(role="coordinator", scope__region=other))
    body = {"assignment": task.code, "municipality": "GM0147", "places": 5, "reason": "x"}
    assert post_json(client, "/api/v1/credits", body).status_code == 403
    assert client.get(f"/allocations/{task.code}/credits/new/").status_code == 403
    assert not Credit.objects.exists()


def test_the_task_page_records_and_lists_credits(region):
    task = crisis_task(DUE - datetime.timedelta(days=1))
    twente = SafetyRegion.objects.get(code="VR05")
    client = client_of(UserFactory(role="coordinator", scope__region=twente))
    response = client.post(
        f"/allocations/{task.code}/credits/new/",
        {
            "municipality": "GM0147",
            "kind": "planned",
            "places": "10",
            "due_on": "2022-10-01",
            "reason": "weggestreept vanwege de geplande inspanning",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        f"/allocations/{task.code}/credits/new/",
        {"municipality": "GM0147", "kind": "planned", "places": "10", "reason": "zonder datum"},
    )
    assert bad.status_code == 200 and Credit.objects.count() == 1
    with CaptureQueriesContext(connection) as one:
        client.get(f"/allocations/{task.code}/")
    location = LocationFactory(code="BRN-H", municipality=borne(), type=LocationType.INTERMEDIATE)
    for index in range(5):
        credit_create(
            assignment=task,
            municipality=borne(),
            places=1,
            location=location,
            reason=f"geleverd {index}",
        )
    with CaptureQueriesContext(connection) as six:
        page = client.get(f"/allocations/{task.code}/").content.decode()
    # The credits' figures cost the same queries however many there are.
    assert len(six) == len(one) + 1  # the first credit with a location: its state
    assert 'data-testid="credit-table"' in page
    assert "weggestreept vanwege de geplande inspanning" in page
    assert 'data-testid="credited-total">15<' in page
    credit = Credit.objects.order_by("pk").first()
    removed = client.post(f"/allocations/credits/{credit.pk}/remove/")
    assert removed.status_code == 302 and Credit.objects.count() == 5
