"""The read-only API: meetings/ with agenda items and entries, actions/ across meetings."""

import datetime

import pytest
from rest_framework.authtoken.models import Token

from meetings.models import Meeting
from tests.factories import UserFactory

from .factories import (
    ActionFactory,
    AgendaItemFactory,
    BodyFactory,
    EntryFactory,
    MeetingFactory,
    assignment_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(api_client):
    # Minutes are not figures: provincial readers get 403 (tests/api/test_permissions.py).
    token = Token.objects.create(user=UserFactory(role="secretary"))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api_client


def test_anonymous_callers_get_401(api_client, seeded):
    assert api_client.get("/api/v1/meetings").status_code == 401
    assert api_client.get("/api/v1/actions").status_code == 401


def test_an_account_without_a_role_gets_403(api_client, seeded):
    api_client.force_authenticate(UserFactory(username="nobody"))
    assert api_client.get("/api/v1/meetings").status_code == 403


def test_the_meetings_are_listed_newest_first(reader, seeded):
    body = reader.get("/api/v1/meetings").json()
    assert body["count"] == 5
    first = body["results"][0]
    assert first == {
        "id": first["id"],
        "body": "TRA",
        "body_name": "Twentse Regietafel Asielinstroom",
        "date": "2024-01-24",
        "start_time": "15:45:00",
        "end_time": "17:15:00",
        "venue": "Raadszaal Stadhuis Almelo, Haven Zuidzijde 30 te Almelo",
        "chair": "Hans Broekhuizen",
        "status": "planned",
        "minutes_approved_at": None,
        "next_meeting_on": "2024-03-13",
    }
    assert "agenda_items" not in first


def test_the_meeting_list_filters_on_body_and_dates(reader, seeded):
    dates = [
        row["date"]
        for row in reader.get("/api/v1/meetings?body=BAO&date_after=2022-05-01").json()["results"]
    ]
    assert dates == ["2022-07-07"]


def test_the_detail_carries_agenda_items_with_their_entries(reader, seeded):
    bao = Meeting.objects.get(body__code="BAO", date=datetime.date(2022, 3, 31))
    body = reader.get(f"/api/v1/meetings/{bao.pk}").json()
    numbers = [item["number"] for item in body["agenda_items"]]
    assert numbers == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8"]
    item = body["agenda_items"][3]
    assert item["title"] == "Coördinatiepunt COA (Opdracht B)"
    decision, _, action = item["entries"]
    assert decision == {
        "kind": "B",
        "text": "Op dit moment geen gemeenten die medio dit jaar (juli) ruimten zien voor "
        "opvang asielzoekers.",
        "explanation": "",
        "assignment": None,
    }
    assert action["kind"] == "A"
    assert action["owner"] == "Projectleider Oekraïne"
    assert action["due_date"] == "2022-04-07"
    assert action["status"] == "open"
    assert action["overdue"] is True
    bottleneck = body["agenda_items"][0]["entries"][0]
    assert (
        bottleneck["kind"] == "K" and "owner" not in bottleneck and "assignment" not in bottleneck
    )


def test_a_decision_names_the_assignment_it_created(reader):
    assignment = assignment_create(code="asylum-cno-2022-10")
    decision = EntryFactory(assignment=assignment)
    body = reader.get(f"/api/v1/meetings/{decision.item.meeting_id}").json()
    assert body["agenda_items"][0]["entries"][0]["assignment"] == "asylum-cno-2022-10"


def test_open_overdue_actions_across_meetings(reader, seeded):
    body = reader.get("/api/v1/actions?status=open&overdue=true").json()
    texts = {row["text"][:30] for row in body["results"]}
    # The seeds' actions with a due date before today.
    assert body["count"] == 3
    assert texts == {
        "Opdracht B agenderen voor volg",
        "Voorstel hoe escalatie van ove",
        "4. JenV komt uiterlijk in de t",
    }
    jenv = next(row for row in body["results"] if row["owner"] == "JenV")
    assert jenv["body"] == "PRT"
    assert jenv["meeting_date"] == "2023-12-22"
    assert jenv["item"] == "Actielijst"
    assert jenv["due_date"] == "2024-01-31"


def test_actions_filter_on_body_and_meeting(reader, seeded):
    prt = Meeting.objects.get(body__code="PRT")
    assert reader.get("/api/v1/actions?body=PRT").json()["count"] == 4
    assert reader.get(f"/api/v1/actions?meeting={prt.pk}").json()["count"] == 4
    assert reader.get("/api/v1/actions?status=done").json()["count"] == 0
    assert reader.get("/api/v1/actions?status=bogus").status_code == 400


@pytest.mark.parametrize("meeting", ["0", "83977910266071522492859547648"])
def test_a_meeting_number_outside_the_id_range_is_a_400_not_a_500(reader, seeded, meeting):
    response = reader.get(f"/api/v1/actions?meeting={meeting}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in response.json()["invalidParams"]] == ["meeting"]


def test_a_carried_action_is_listed_once_pointing_back(reader):
    from meetings.services import actions_carry_over

    tra = BodyFactory(code="TRA")
    first = MeetingFactory(body=tra, date=datetime.date(2023, 12, 13))
    MeetingFactory(body=tra, date=datetime.date(2024, 1, 24))
    original = ActionFactory(item=AgendaItemFactory(meeting=first))
    [copy] = actions_carry_over(from_meeting=first)
    rows = reader.get("/api/v1/actions").json()["results"]
    assert [(row["id"], row["carried_from"]) for row in rows] == [(copy.pk, original.pk)]
    earlier = reader.get(f"/api/v1/actions/{original.pk}").json()
    assert (earlier["meeting_date"], earlier["carried_from"]) == ("2023-12-13", None)


@pytest.mark.parametrize("role", ["secretary", "coordinator", "project_leader"])
def test_the_api_is_read_only_for_every_role(api_client, seeded, role):
    api_client.force_authenticate(UserFactory(role=role))
    meeting = Meeting.objects.first()
    assert api_client.post("/api/v1/meetings", {"date": "2024-05-01"}).status_code == 405
    assert api_client.patch(f"/api/v1/meetings/{meeting.pk}", {"venue": "x"}).status_code == 405
    assert api_client.delete(f"/api/v1/meetings/{meeting.pk}").status_code == 405
    assert api_client.post("/api/v1/actions", {}).status_code == 405


def test_the_detail_uses_a_constant_number_of_queries(api_client, django_assert_max_num_queries):
    api_client.force_authenticate(UserFactory(role="coordinator"))
    meeting = MeetingFactory(body=BodyFactory(code="TRA"))
    from meetings.models import Attachment, AttachmentVersion

    for n in range(20):
        item = AgendaItemFactory(meeting=meeting)
        EntryFactory(item=item)
        ActionFactory(item=item)
        for target in ({"item": item}, {"meeting": meeting}):
            attachment = Attachment.objects.create(**target, number=n + 1, label="Stuk")
            AttachmentVersion.objects.create(
                attachment=attachment,
                number=1,
                file=f"attachments/{attachment.pk}/1.pdf",
                original_name="stuk.pdf",
                content_type="application/pdf",
                size=10,
            )
    # meeting, items, entries, item attachments and their versions, municipalities,
    # locations, attendance, corrections, the meeting's attachments and their versions + auth.
    with django_assert_max_num_queries(13):
        body = api_client.get(f"/api/v1/meetings/{meeting.pk}").json()
    assert len(body["agenda_items"]) == 20


def test_the_lists_use_a_constant_number_of_queries(api_client, django_assert_max_num_queries):
    api_client.force_authenticate(UserFactory(role="coordinator"))
    tra = BodyFactory(code="TRA")
    for _ in range(30):
        ActionFactory(item=AgendaItemFactory(meeting=MeetingFactory(body=tra)))
    with django_assert_max_num_queries(4):
        assert api_client.get("/api/v1/actions?page_size=500").json()["count"] == 30
    with django_assert_max_num_queries(4):
        assert api_client.get("/api/v1/meetings?page_size=500").json()["count"] == 30


def test_the_schema_documents_meetings_and_actions(client, seeded):
    client.force_login(UserFactory(role="coordinator"))
    schema = client.get("/api/schema/").content
    assert b"/meetings/{id}" in schema
    assert b"/actions" in schema
