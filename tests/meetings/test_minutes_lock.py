"""Minutes that lock (issue 20): once the next meeting has adopted them, their agenda items,
entries and attendance are refused everywhere (admin, API, model validation); a correction
is recorded at a later meeting and shown beside the adopted text."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Entry, MeetingStatus, MinutesCorrection
from meetings.services import minutes_approve
from tests.factories import UserFactory

from .factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    BodyFactory,
    EntryFactory,
    MeetingFactory,
)
from .test_admin import form_data, management

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted():
    """TRA 13-12-2023 with an item, a decision, an action and an attendance row, adopted in
    TRA 24-01-2024; a third meeting TRA 13-03-2024 follows."""
    tra = BodyFactory(code="TRA")
    december = MeetingFactory(body=tra, date=datetime.date(2023, 12, 13))
    january = MeetingFactory(body=tra, date=datetime.date(2024, 1, 24))
    march = MeetingFactory(body=tra, date=datetime.date(2024, 3, 13))
    item = AgendaItemFactory(meeting=december, number="4.1", notes="Besproken")
    decision = EntryFactory(item=item, text="Besluit: 225 plaatsen verdelen")
    action = ActionFactory(item=item, text="Actie: verdeling uitwerken")
    attendance = AttendanceFactory(meeting=december, organisation="VR Twente", person="A")
    minutes_approve(meeting=december, approved_at=january)
    return {
        "meeting": december,
        "january": january,
        "march": march,
        "item": item,
        "decision": decision,
        "action": action,
        "attendance": attendance,
    }


@pytest.fixture
def admin_client(client, secretary):
    client.force_login(secretary)
    return client


def test_the_pages_say_when_and_where_the_minutes_were_adopted(adopted, client):
    client.force_login(UserFactory(username="coord", role="coordinator"))
    for name in ("meetings:detail", "meetings:entries"):
        page = client.get(reverse(name, args=[adopted["meeting"].pk])).content.decode()
        assert "Vastgesteld op 24-01-2024 in TRA 24-01-2024" in page, name


def test_the_model_refuses_changes_to_adopted_minutes(adopted):
    decision = adopted["decision"]
    decision.text = "Anders besloten"
    with pytest.raises(ValidationError, match="vastgesteld in TRA 24-01-2024"):
        decision.full_clean()
    attendance = adopted["attendance"]
    attendance.presence = "absent"
    with pytest.raises(ValidationError):
        attendance.full_clean()
    item = adopted["item"]
    item.notes = "Iets anders"
    with pytest.raises(ValidationError):
        item.full_clean()
    new = Entry(item=item, kind="K", text="Nieuw knelpunt")
    with pytest.raises(ValidationError):
        new.full_clean()
    meeting = adopted["meeting"]
    meeting.venue = "Elders"
    with pytest.raises(ValidationError):
        meeting.full_clean()


def test_adopting_again_in_another_meeting_is_refused(adopted):
    with pytest.raises(ValidationError):
        minutes_approve(meeting=adopted["meeting"], approved_at=adopted["march"])
    adopted["meeting"].refresh_from_db()
    assert adopted["meeting"].minutes_approved_at == adopted["january"]


def test_draft_minutes_can_still_be_edited_in_the_admin(admin_client):
    entry = EntryFactory(item=AgendaItemFactory(meeting=MeetingFactory(body=BodyFactory())))
    url = reverse("admin:meetings_entry_change", args=[entry.pk])
    data = form_data(admin_client.get(url)) | {"text": "Aangepast"}
    assert admin_client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Aangepast"


def test_the_admin_refuses_an_edit_of_an_adopted_entry(adopted, admin_client):
    decision = adopted["decision"]
    url = reverse("admin:meetings_entry_change", args=[decision.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="text"' not in page.content.decode()  # shown read-only
    response = admin_client.post(url, {"text": "Anders besloten", "kind": "B", "position": 1})
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.text == "Besluit: 225 plaatsen verdelen"


def test_the_admin_refuses_an_edit_of_an_adopted_agenda_item(adopted, admin_client):
    item = adopted["item"]
    url = reverse("admin:meetings_agendaitem_change", args=[item.pk])
    response = admin_client.post(
        url,
        {
            "position": 1,
            "number": "4.1",
            "title": "Anders",
            "notes": "Anders",
            **management("entries", 1),
            "entries-0-kind": "K",
            "entries-0-text": "Ingevoegd",
            **management("attachments", 0),
        },
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert (item.title, item.notes, item.entries.count()) != ("Anders", "Anders", 3)
    assert item.notes == "Besproken" and item.entries.count() == 2


def test_the_meeting_page_keeps_attendance_and_header_of_adopted_minutes(adopted, admin_client):
    meeting = adopted["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(admin_client.get(url))
    assert 'name="attendance-0-presence"' not in admin_client.get(url).content.decode()
    data |= {
        "venue": "Elders",
        "status": MeetingStatus.HELD,
        "attendance-0-id": str(adopted["attendance"].pk),
        "attendance-0-meeting": str(meeting.pk),
        "attendance-0-organisation": "Iemand anders",
        "attendance-0-presence": "absent",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    adopted["attendance"].refresh_from_db()
    assert (meeting.status, meeting.venue) == (MeetingStatus.APPROVED, "")
    assert adopted["attendance"].organisation == "VR Twente"
    assert adopted["attendance"].presence == ""


def test_adopted_minutes_cannot_be_deleted_in_the_admin(adopted, admin_client):
    for name, obj in (
        ("meetings_entry", adopted["decision"]),
        ("meetings_agendaitem", adopted["item"]),
        ("meetings_meeting", adopted["meeting"]),
    ):
        admin_client.post(
            reverse(f"admin:{name}_changelist"),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
        assert admin_client.post(reverse(f"admin:{name}_delete", args=[obj.pk]), {"post": "yes"})
        assert type(obj).objects.filter(pk=obj.pk).exists(), name


def test_the_api_refuses_writes_to_adopted_minutes(adopted, api_client):
    api_client.force_authenticate(UserFactory(username="secr-api", role="secretary"))
    meeting, action = adopted["meeting"], adopted["action"]
    for url in (f"/api/v1/meetings/{meeting.pk}", f"/api/v1/actions/{action.pk}"):
        for method in ("put", "patch", "delete"):
            response = getattr(api_client, method)(url, {"text": "Anders"}, format="json")
            assert response.status_code == 405, (method, url)
    action.refresh_from_db()
    assert action.text == "Actie: verdeling uitwerken"


def test_a_correction_is_recorded_at_a_later_meeting_and_shown(adopted, admin_client, client):
    meeting = adopted["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(admin_client.get(url))
    data |= {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-recorded_at": str(adopted["march"].pk),
        "corrections-0-item": str(adopted["item"].pk),
        "corrections-0-text": "Lees 250 plaatsen in plaats van 225.",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    correction = MinutesCorrection.objects.get()
    assert (correction.meeting, correction.recorded_at) == (meeting, adopted["march"])
    adopted["decision"].refresh_from_db()
    assert adopted["decision"].text == "Besluit: 225 plaatsen verdelen"  # the record stays
    client.force_login(UserFactory(username="coord", role="coordinator"))
    for name in ("meetings:detail", "meetings:entries"):
        page = client.get(reverse(name, args=[meeting.pk])).content.decode()
        assert "Gecorrigeerd in TRA 13-03-2024" in page and "Lees 250 plaatsen" in page
    body = client.get(f"/api/v1/meetings/{meeting.pk}").json()
    assert body["corrections"] == [
        {
            "recorded_at": adopted["march"].pk,
            "item": "4.1",
            "text": "Lees 250 plaatsen in plaats van 225.",
        }
    ]


def test_a_correction_needs_adopted_minutes_and_a_later_meeting(adopted):
    draft = adopted["january"]
    with pytest.raises(ValidationError, match="Alleen een vastgesteld verslag"):
        MinutesCorrection(meeting=draft, recorded_at=adopted["march"], text="x").full_clean()
    earlier = MeetingFactory(body=adopted["meeting"].body, date=datetime.date(2023, 11, 1))
    with pytest.raises(ValidationError, match="later overleg"):
        MinutesCorrection(meeting=adopted["meeting"], recorded_at=earlier, text="x").full_clean()
    other_item = AgendaItemFactory(meeting=adopted["march"])
    with pytest.raises(ValidationError, match="agendapunt"):
        MinutesCorrection(
            meeting=adopted["meeting"], recorded_at=adopted["march"], item=other_item, text="x"
        ).full_clean()


def test_a_recorded_correction_cannot_be_changed_in_the_admin(adopted, admin_client):
    correction = MinutesCorrection.objects.create(
        meeting=adopted["meeting"], recorded_at=adopted["march"], text="Eerste correctie"
    )
    url = reverse("admin:meetings_meeting_change", args=[adopted["meeting"].pk])
    data = form_data(admin_client.get(url))
    data |= {
        "corrections-0-id": str(correction.pk),
        "corrections-0-text": "Overschreven",
        "corrections-0-DELETE": "on",
    }
    admin_client.post(url, data)
    correction.refresh_from_db()
    assert correction.text == "Eerste correctie"


def test_actions_of_adopted_minutes_can_still_be_marked_done(adopted, admin_client):
    """Follow-up is not the record: closing an action is noted at a later meeting."""
    response = admin_client.post(
        reverse("admin:meetings_entry_changelist"),
        {"action": "mark_done", "_selected_action": [adopted["action"].pk]},
    )
    assert response.status_code == 302
    adopted["action"].refresh_from_db()
    assert adopted["action"].status == "done"
