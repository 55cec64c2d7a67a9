"""The read-only pages: meetings, minutes, decision and action lists, open actions."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import ActionStatus, Meeting
from tests.factories import UserFactory

from .factories import ActionFactory, AgendaItemFactory, BodyFactory, EntryFactory, MeetingFactory

pytestmark = pytest.mark.django_db

ALL_ROLES = ["coordinator", "project_leader", "secretary", "provincial_reader"]


def seeded_meeting(body: str, date: str) -> Meeting:
    return Meeting.objects.get(body__code=body, date=datetime.date.fromisoformat(date))


@pytest.fixture
def login(client):
    def login_as(role: str):
        client.force_login(UserFactory(role=role))
        return client

    return login_as


@pytest.mark.parametrize(
    ("role", "meetings"),
    # Twente's people read the five meetings of the seeds (BAO, TRA, PRT); a provincial reader
    # of Overijssel the PRT's only (issue 14: one rule on pages and API).
    [("coordinator", 5), ("project_leader", 5), ("secretary", 5), ("provincial_reader", 1)],
)
def test_every_role_sees_the_meetings_and_the_open_actions(login, seeded, role, meetings):
    client = login(role)
    response = client.get(reverse("meetings:list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == meetings
    assert client.get(reverse("meetings:actions")).status_code == 200
    prt = seeded_meeting("PRT", "2023-12-22")
    assert client.get(reverse("meetings:entries", args=[prt.pk])).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client, seeded):
    for url in (reverse("meetings:list"), reverse("meetings:actions")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_account_without_a_role_is_refused(client, seeded):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("meetings:list")).status_code == 403
    assert client.get(reverse("meetings:actions")).status_code == 403


@pytest.mark.parametrize("role", ["project_leader", "provincial_reader"])
def test_the_full_minutes_are_for_coordinators_and_the_secretary(login, seeded, role):
    meeting = seeded_meeting("BAO", "2022-07-07")
    client = login(role)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 403
    list_page = client.get(reverse("meetings:list")).content.decode()
    assert f'href="{reverse("meetings:detail", args=[meeting.pk])}"' not in list_page


def test_the_meeting_list_filters_on_body_and_status(login, seeded):
    client = login("coordinator")
    response = client.get(reverse("meetings:list"), {"body": "TRA"})
    assert [str(m) for m in response.context["page"]] == ["TRA 24-01-2024", "TRA 13-12-2023"]
    response = client.get(reverse("meetings:list"), {"status": "planned"})
    assert [str(m) for m in response.context["page"]] == ["TRA 24-01-2024"]


def test_the_minutes_read_like_the_seed_document(login, seeded):
    meeting = seeded_meeting("BAO", "2022-07-07")
    response = login("coordinator").get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    # Items in the order of the minutes, under their topic headings.
    positions = [content.index(number) for number in ("10.1", "10.2", "10.3", "10.4", "10.5")]
    assert positions == sorted(positions)
    assert "Crisisnoodopvang asielzoekers" in content
    assert "Enschede: 50-60" in content
    assert "Rolverdeling:" in content  # the side explanation
    assert "Twenterand" in content and "Afgemeld" in content
    assert "Online aanwezig" in content  # Hellendoorn
    assert "De volgende vergadering is op 21-07-2022." in content
    assert "07-07-2022" in content


def test_a_planned_meeting_shows_its_agenda_with_annotations(login, seeded):
    meeting = seeded_meeting("TRA", "2024-01-24")
    content = login("secretary").get(reverse("meetings:detail", args=[meeting.pk])).content
    content = content.decode()
    assert "Agenda TRA 24-01-2024" in content
    assert "Annotatie" in content
    assert "Bijlage I Voorstel versterking effectiviteit en resultaatgerichtheid TRA" in content
    assert "15.45–17.15" in content


def test_the_decision_and_action_list_leaves_out_bottlenecks(login, seeded):
    meeting = seeded_meeting("BAO", "2022-03-31")
    response = login("project_leader").get(reverse("meetings:entries", args=[meeting.pk]))
    kinds = {entry.kind for entry in response.context["entries"]}
    assert kinds == {"B", "A"}
    content = response.content.decode()
    assert "Opdracht B agenderen voor volgend Bestuurlijk Afstemmingsoverleg." in content
    assert "Financiële regelingen zijn nog niet definitief." not in content  # a K


def test_overdue_actions_are_flagged(login, seeded):
    meeting = seeded_meeting("PRT", "2023-12-22")
    response = login("provincial_reader").get(reverse("meetings:entries", args=[meeting.pk]))
    content = response.content.decode()
    # JenV's reply was due 31-01-2024 and is still open.
    assert 'data-testid="overdue"' in content
    assert "31-01-2024" in content


def test_the_action_page_opens_on_open_actions(login, seeded):
    done = ActionFactory(
        item=AgendaItemFactory(meeting=seeded_meeting("TRA", "2024-01-24"), number="8"),
        status=ActionStatus.DONE,
    )
    client = login("coordinator")
    response = client.get(reverse("meetings:actions"))
    shown = list(response.context["page"])
    assert len(shown) == 8  # the open actions of the seeds: 3 BAO, 1 TRA, 4 PRT
    assert done not in shown
    everything = client.get(reverse("meetings:actions"), {"status": ""})
    assert done in list(everything.context["page"])


def test_the_action_page_filters_on_body_owner_and_overdue(login, seeded):
    client = login("coordinator")
    prt = client.get(reverse("meetings:actions"), {"body": "PRT"})
    assert len(prt.context["page"]) == 4
    jenv = client.get(reverse("meetings:actions"), {"owner": "jenv", "overdue": "true"})
    assert [entry.due_date for entry in jenv.context["page"]] == [datetime.date(2024, 1, 31)]
    not_late = client.get(reverse("meetings:actions"), {"body": "PRT", "overdue": "false"})
    assert len(not_late.context["page"]) == 3


def test_the_action_page_uses_a_constant_number_of_queries(login, django_assert_max_num_queries):
    client = login("coordinator")
    tra = BodyFactory(code="TRA")
    for n in range(40):
        meeting = MeetingFactory(body=tra)
        ActionFactory(
            item=AgendaItemFactory(meeting=meeting), due_date=datetime.date(2024, 1, n % 28 + 1)
        )
    with django_assert_max_num_queries(10):
        response = client.get(reverse("meetings:actions"))
    assert response.context["page"].paginator.count == 40


def test_the_minutes_page_uses_a_constant_number_of_queries(
    login, fourteen, django_assert_max_num_queries
):
    from meetings.services import meeting_create

    client = login("coordinator")
    meeting = meeting_create(body=BodyFactory(code="TRA"), date=datetime.date(2024, 3, 13))
    for _ in range(15):
        item = AgendaItemFactory(meeting=meeting)
        EntryFactory(item=item)
        ActionFactory(item=item)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert len(response.context["meeting"].agenda_items.all()) == 15


def test_an_unknown_meeting_is_404(login, seeded):
    client = login("coordinator")
    assert client.get(reverse("meetings:detail", args=[99999])).status_code == 404
    assert client.get(reverse("meetings:entries", args=[99999])).status_code == 404


def test_the_pages_link_from_the_navigation(login, seeded):
    content = login("project_leader").get(reverse("home")).content.decode()
    assert f'href="{reverse("meetings:list")}"' in content
    assert f'href="{reverse("meetings:actions")}"' in content
