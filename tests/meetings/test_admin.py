"""The secretary's flows in the admin, and that nobody else gets in."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import (
    ActionStatus,
    AgendaItem,
    Entry,
    EntryKind,
    Meeting,
    MeetingStatus,
)
from tests.factories import UserFactory

from .factories import ActionFactory, AgendaItemFactory, BodyFactory, EntryFactory, MeetingFactory

pytestmark = pytest.mark.django_db

MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


def form_data(response) -> dict:
    """The POST a browser would send for an admin change form as it was rendered."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif isinstance(value, datetime.date | datetime.time):
                data[key] = value.isoformat()
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return dict(
        zip([f"{prefix}-{name}" for name in MANAGEMENT], [total, initial, 0, 1000], strict=True)
    )


@pytest.fixture
def tra():
    return BodyFactory(code="TRA")


@pytest.fixture
def admin_client(client, secretary):
    client.force_login(secretary)
    return client


def test_the_secretary_creates_a_meeting_with_its_agenda(admin_client, fourteen, tra):
    data = {
        "body": tra.pk,
        "date": "2024-03-13",
        "start_time": "15:00",
        "end_time": "16:30",
        "venue": "Raadszaal Stadhuis Almelo",
        "chair": "Hans Broekhuizen",
        "status": MeetingStatus.PLANNED,
        **management("agenda_items", 3),
    }
    for n, (number, title) in enumerate(
        [("1", "Opening & vaststellen agenda"), ("2", "Actualiteiten"), ("3", "Wvttk")]
    ):
        data |= {
            f"agenda_items-{n}-position": "0",
            f"agenda_items-{n}-number": number,
            f"agenda_items-{n}-title": title,
        }

    response = admin_client.post(reverse("admin:meetings_meeting_add"), data)

    meeting = Meeting.objects.get(body=tra, date=datetime.date(2024, 3, 13))
    # On to the change page, where the prefilled attendance can be filled in.
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:meetings_meeting_change", args=[meeting.pk])
    items = list(meeting.agenda_items.values_list("position", "number", "title"))
    assert items == [
        (1, "1", "Opening & vaststellen agenda"),
        (2, "2", "Actualiteiten"),
        (3, "3", "Wvttk"),
    ]
    assert meeting.attendance.filter(municipality__isnull=False).count() == 14
    change_page = admin_client.get(response["Location"])
    assert change_page.status_code == 200
    assert "Hof van Twente" in change_page.content.decode()


def test_the_secretary_fills_in_attendance_on_the_change_page(admin_client, fourteen, tra):
    from meetings.services import meeting_create

    meeting = meeting_create(body=tra, date=datetime.date(2024, 3, 13))
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(admin_client.get(url))
    rows = {row.municipality.code: row for row in meeting.attendance.select_related("municipality")}
    index = [
        key
        for key, value in data.items()
        if key.endswith("-id") and value == str(rows["GM0158"].pk)
    ][0].split("-")[1]
    data[f"attendance-{index}-presence"] = "excused"
    data[f"attendance-{index}-person"] = "dhr. Jansen"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    rows["GM0158"].refresh_from_db()
    assert (rows["GM0158"].presence, rows["GM0158"].person) == ("excused", "dhr. Jansen")
    assert meeting.attendance.count() == 14


def test_the_secretary_writes_entries_in_order_on_the_agenda_item(admin_client, tra):
    item = AgendaItemFactory(meeting=MeetingFactory(body=tra), number="10.3")
    url = reverse("admin:meetings_agendaitem_change", args=[item.pk])
    data = form_data(admin_client.get(url))
    data |= management("entries", 3) | management("attachments", 1)
    entries = [
        {"kind": "B", "text": "Verdelen over de veertien gemeenten."},
        {
            "kind": "K",
            "text": "Gemeenten starten in verschillend tempo.",
            "explanation": "Zie bijlage.",
        },
        {
            "kind": "A",
            "text": "Locaties doorgeven aan de VRT.",
            "owner": "Gemeenten",
            "due_date": "2022-07-08",
        },
    ]
    for n, entry in enumerate(entries):
        data |= {f"entries-{n}-position": "0", f"entries-{n}-item": str(item.pk)}
        data |= {f"entries-{n}-{key}": value for key, value in entry.items()}
    data |= {"attachments-0-position": "0", "attachments-0-label": "Bijlage I"}

    response = admin_client.post(url, data)

    assert response.status_code == 302
    # Saving an item goes back to its meeting.
    assert response["Location"] == reverse("admin:meetings_meeting_change", args=[item.meeting_id])
    saved = list(item.entries.order_by("position").values_list("position", "kind", "status"))
    assert saved == [(1, "B", ""), (2, "K", ""), (3, "A", ActionStatus.OPEN)]
    assert item.attachments.get().label == "Bijlage I"


def test_a_decision_with_a_due_date_is_refused_in_the_form(admin_client, tra):
    item = AgendaItemFactory(meeting=MeetingFactory(body=tra))
    url = reverse("admin:meetings_agendaitem_change", args=[item.pk])
    data = form_data(admin_client.get(url)) | management("entries", 1)
    data |= {
        "entries-0-position": "0",
        "entries-0-item": str(item.pk),
        "entries-0-kind": "B",
        "entries-0-text": "Besloten",
        "entries-0-due_date": "2024-03-31",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Alleen een actie heeft een eigenaar" in response.content.decode()
    assert not item.entries.exists()


def test_the_carry_over_action_copies_open_actions_to_the_next_meeting(admin_client, tra):
    first = MeetingFactory(body=tra, date=datetime.date(2023, 12, 13))
    second = MeetingFactory(body=tra, date=datetime.date(2024, 1, 24), status="planned")
    ActionFactory(item=AgendaItemFactory(meeting=first), text="Voorstel escalatie overlast")
    url = reverse("admin:meetings_meeting_changelist")
    payload = {"action": "carry_over_open_actions", "_selected_action": [first.pk]}

    response = admin_client.post(url, payload, follow=True)
    admin_client.post(url, payload)

    assert "1 open actie(s) overgenomen naar TRA 24-01-2024" in response.content.decode()
    copy = Entry.objects.get(item__meeting=second)
    assert copy.text == "Voorstel escalatie overlast"
    assert copy.item.title == "Openstaande acties"


def test_the_carry_over_action_reports_a_missing_next_meeting(admin_client, tra):
    only = MeetingFactory(body=tra, date=datetime.date(2023, 12, 13))
    ActionFactory(item=AgendaItemFactory(meeting=only))
    response = admin_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "carry_over_open_actions", "_selected_action": [only.pk]},
        follow=True,
    )
    assert "nog geen volgend overleg van TRA" in response.content.decode()
    assert Entry.objects.count() == 1


def test_the_secretary_approves_minutes_at_the_next_meeting(admin_client, tra):
    first = MeetingFactory(body=tra, date=datetime.date(2023, 12, 13))
    second = MeetingFactory(body=tra, date=datetime.date(2024, 1, 24))
    response = admin_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "approve_minutes_at_next_meeting", "_selected_action": [first.pk]},
        follow=True,
    )
    assert "Verslag van TRA 13-12-2023 vastgesteld in TRA 24-01-2024" in response.content.decode()
    first.refresh_from_db()
    assert (first.status, first.minutes_approved_at) == (MeetingStatus.APPROVED, second)


def test_approving_minutes_in_the_form_needs_the_approving_meeting(admin_client, tra):
    meeting = MeetingFactory(body=tra, date=datetime.date(2023, 12, 13))
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(admin_client.get(url)) | {"status": MeetingStatus.APPROVED}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Geef aan in welk overleg het verslag is vastgesteld" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


def test_the_mark_done_action_closes_the_selected_actions(admin_client, secretary):
    action = ActionFactory()
    other = ActionFactory()
    response = admin_client.post(
        reverse("admin:meetings_entry_changelist"),
        {"action": "mark_done", "_selected_action": [action.pk]},
        follow=True,
    )
    assert "1 actie(s) gemarkeerd als gedaan" in response.content.decode()
    action.refresh_from_db()
    other.refresh_from_db()
    assert (action.status, action.done_by) == (ActionStatus.DONE, secretary)
    assert other.status == ActionStatus.OPEN


def test_the_entry_list_filters_on_overdue_owner_and_kind(admin_client, tra):
    item = AgendaItemFactory(meeting=MeetingFactory(body=tra))
    late = ActionFactory(item=item, owner="JenV", due_date=datetime.date(2024, 1, 31))
    ActionFactory(item=item, owner="JenV", due_date=datetime.date(2999, 1, 31))
    ActionFactory(item=item, owner="Provincie", due_date=datetime.date(2024, 1, 31))
    EntryFactory(item=item, kind=EntryKind.DECISION)
    url = reverse("admin:meetings_entry_changelist")

    def listed(query):
        response = admin_client.get(url, query)
        assert response.status_code == 200
        return {entry.pk for entry in response.context["cl"].result_list}

    assert listed({"overdue": "yes", "owner": "JenV"}) == {late.pk}
    assert len(listed({"kind__exact": "A"})) == 3
    assert len(listed({"q": "jenv"})) == 2
    assert len(listed({"item__meeting__body__id__exact": tra.pk})) == 4


def test_the_entry_list_uses_a_constant_number_of_queries(
    admin_client, tra, django_assert_max_num_queries
):
    meeting = MeetingFactory(body=tra)
    for n in range(40):
        ActionFactory(item=AgendaItemFactory(meeting=meeting), owner=f"Eigenaar {n % 5}")
    # Session, user, roles, permissions, filters, counts, the page, the header: not per row.
    with django_assert_max_num_queries(15):
        response = admin_client.get(reverse("admin:meetings_entry_changelist"))
    assert response.context["cl"].result_count == 40


@pytest.mark.parametrize("role", ["coordinator", "project_leader", "provincial_reader"])
def test_a_staff_account_of_another_role_cannot_edit_meetings(client, role, tra):
    user = UserFactory(role=role)
    user.is_staff = True
    user.save()
    meeting = MeetingFactory(body=tra)
    client.force_login(user)
    assert (
        client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).status_code == 403
    )
    assert client.get(reverse("admin:meetings_meeting_add")).status_code == 403
    response = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "approve_minutes_at_next_meeting", "_selected_action": [meeting.pk]},
    )
    assert response.status_code == 403
    assert "meetings" not in client.get(reverse("admin:index")).content.decode()


def test_a_project_leader_does_not_get_into_the_admin(client, project_leader, tra):
    meeting = MeetingFactory(body=tra)
    client.force_login(project_leader)
    response = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_secretary_sees_the_meetings_app_in_the_admin(admin_client):
    content = admin_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:meetings_meeting_changelist") in content
    assert reverse("admin:meetings_entry_changelist") in content


def test_agenda_items_are_added_from_the_meeting_prefilled(admin_client, tra):
    meeting = MeetingFactory(body=tra)
    AgendaItemFactory(meeting=meeting, position=1)
    url = reverse("admin:meetings_agendaitem_add") + f"?meeting={meeting.pk}"
    assert admin_client.get(url).status_code == 200
    data = {
        "meeting": meeting.pk,
        "position": "0",
        "number": "7",
        "title": "Ter informatie",
        **management("entries", 0),
        **management("attachments", 0),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert AgendaItem.objects.get(meeting=meeting, number="7").position == 2


def test_the_agenda_item_page_uses_a_constant_number_of_queries(
    admin_client, tra, django_assert_max_num_queries
):
    item = AgendaItemFactory(meeting=MeetingFactory(body=tra))
    for _ in range(30):
        ActionFactory(item=item)
    with django_assert_max_num_queries(25):
        response = admin_client.get(reverse("admin:meetings_agendaitem_change", args=[item.pk]))
    assert response.status_code == 200


def test_the_meeting_page_uses_a_constant_number_of_queries(
    admin_client, fourteen, tra, django_assert_max_num_queries
):
    from meetings.services import meeting_create

    meeting = meeting_create(body=tra, date=datetime.date(2024, 3, 13))
    for _ in range(20):
        AgendaItemFactory(meeting=meeting)
    with django_assert_max_num_queries(18):
        response = admin_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert response.status_code == 200


def _messages(response) -> list[str]:
    from django.contrib.messages import get_messages

    return [str(message) for message in get_messages(response.wsgi_request)]


def test_adding_a_meeting_says_het_overleg(admin_client, tra):
    data = {
        "body": tra.pk,
        "date": "2024-03-13",
        "status": MeetingStatus.PLANNED,
        **management("agenda_items", 0),
    }

    response = admin_client.post(reverse("admin:meetings_meeting_add"), data)

    assert response.status_code == 302
    (message,) = _messages(response)
    assert message.startswith("Het overleg ‘<a href=")
    assert "is met succes toegevoegd" in message


def test_changing_a_meeting_says_het_overleg(admin_client, tra):
    meeting = MeetingFactory(body=tra)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(admin_client.get(url)) | {"venue": "Stadhuis Hengelo", "_save": "Opslaan"}

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    (message,) = _messages(response)
    assert message.startswith("Het overleg ‘") and "is met succes gewijzigd" in message


@pytest.mark.parametrize(
    ("language", "start", "end"),
    [
        ("nl", "Het overleg ‘", "’ is met succes verwijderd."),
        # English has one article for every name: the message passes unchanged.
        ("en", "The ", "” was deleted successfully."),
    ],
)
def test_deleting_a_meeting_says_het_overleg(admin_client, tra, language, start, end):
    meeting = MeetingFactory(body=tra)
    url = reverse("admin:meetings_meeting_delete", args=[meeting.pk])

    response = admin_client.post(url, {"post": "yes"}, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    (message,) = _messages(response)
    assert message.startswith(start) and message.endswith(f"{meeting}{end}")


def test_an_agenda_item_is_het_agendapunt_too(admin_client, tra):
    item = AgendaItemFactory(meeting=MeetingFactory(body=tra))
    url = reverse("admin:meetings_agendaitem_change", args=[item.pk])
    data = (
        form_data(admin_client.get(url)) | management("entries", 0) | management("attachments", 0)
    )

    response = admin_client.post(url, {**data, "title": "Actualiteiten"})

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    (message,) = _messages(response)
    assert message.startswith("Het agendapunt ‘") and "is met succes gewijzigd" in message
