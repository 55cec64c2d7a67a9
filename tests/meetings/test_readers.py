"""One rule for whose minutes a user reads (issue 14), the same on pages, exports and API.

Coordinators, project leaders and secretaries read their region's bodies and their province's;
a provincial reader reads their province's bodies (the PRT) only, never a region's TRA or BAO,
not even of the region their account is registered in. The world is the `area` fixture:
the TRAs of Twente and IJsselland, the PRT of Overijssel, a body of Gelderland's region VR06
and the PRT of Gelderland, each with one meeting holding one open action.
"""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.authtoken.models import Token

from meetings.models import Body, Entry, EntryKind, Meeting
from meetings.readers import OTHER_REGION, REGIONAL_TABLE, reach_of
from meetings.selectors import actions_read_by, meetings_listed
from municipalities.models import Membership
from tests.factories import SafetyRegionFactory, UserFactory

from .factories import ActionFactory, AgendaItemFactory, EntryFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def keys(texts) -> set[str]:
    return {text.removeprefix("Actie van ") for text in texts}


def action_keys(user) -> set[str]:
    return keys(actions_read_by(user=user).values_list("text", flat=True))


def body_keys(area, bodies) -> set[str]:
    by_pk = {body.pk: key for key, body in area["bodies"].items()}
    return {by_pk[body.pk] for body in bodies}


def meeting_keys(area, meetings) -> set[str]:
    by_pk = {meeting.pk: key for key, meeting in area["meetings"].items()}
    return {by_pk[meeting.pk] for meeting in meetings}


@pytest.fixture
def reader(area):
    """A provincial reader of Overijssel, registered in IJsselland (as `add_user` does)."""
    return UserFactory(
        username="prov-pv23", role="provincial_reader", scope__region=area["ijsselland"]
    )


@pytest.fixture
def gelderland_reader(area):
    region = SafetyRegionFactory(code="VR07", name="Gelderland-Midden", province=area["gelderland"])
    return UserFactory(username="prov-pv25", role="provincial_reader", scope__region=region)


# The rule ------------------------------------------------------------------------------------


def test_a_provincial_reader_reads_the_bodies_of_their_own_province_only(area, reader):
    assert body_keys(area, Body.objects.visible_to(reader)) == {"prt_overijssel"}
    assert meeting_keys(area, Meeting.objects.visible_to(reader)) == {"prt_overijssel"}
    assert keys(Entry.objects.visible_to(reader).values_list("text", flat=True)) == {
        "prt_overijssel"
    }
    assert action_keys(reader) == {"prt_overijssel"}
    assert meeting_keys(area, meetings_listed(user=reader)) == {"prt_overijssel"}


def test_another_provinces_reader_reads_that_provinces_prt(area, gelderland_reader):
    assert body_keys(area, Body.objects.visible_to(gelderland_reader)) == {"prt_gelderland"}
    assert action_keys(gelderland_reader) == {"prt_gelderland"}


@pytest.mark.parametrize("role", ["coordinator", "project_leader", "secretary"])
def test_the_other_roles_read_their_regions_bodies_and_their_provinces(area, role):
    user = UserFactory(role=role, scope__region=area["ijsselland"])
    assert body_keys(area, Body.objects.visible_to(user)) == {"tra_ijsselland", "prt_overijssel"}
    assert meeting_keys(area, Meeting.objects.visible_to(user)) == {
        "tra_ijsselland",
        "prt_overijssel",
    }
    # The same as the region's tables (Body.for_region), which the dashboard lists.
    assert set(Body.objects.visible_to(user)) == set(Body.objects.for_region(area["ijsselland"]))
    assert action_keys(user) == {"tra_ijsselland", "prt_overijssel"}


def test_a_provincial_reader_with_a_regional_role_reads_both(area, reader):
    reader.groups.add(Group.objects.get_or_create(name="secretary")[0])
    both = type(reader).objects.get(pk=reader.pk)  # roles are cached per user object
    assert action_keys(both) == {"tra_ijsselland", "prt_overijssel"}


def test_without_a_role_or_a_region_nothing_is_read(area, reader):
    nobody = UserFactory(username="nobody", scope__region=area["ijsselland"])
    assert not Meeting.objects.visible_to(nobody).exists()
    assert not Body.objects.visible_to(nobody).exists()
    Membership.objects.filter(user=reader).delete()
    homeless = type(reader).objects.get(pk=reader.pk)
    assert reach_of(homeless).is_empty
    assert not Entry.objects.visible_to(homeless).exists()


def test_the_refusal_says_why(area, reader, gelderland_reader):
    reach = reach_of(reader)
    bodies = area["bodies"]
    assert reach.refusal(bodies["prt_overijssel"]) is None
    for key in ("tra_ijsselland", "tra_twente", "rt_gelderland"):
        assert reach.refusal(bodies[key]) == REGIONAL_TABLE
    assert reach.refusal(bodies["prt_gelderland"]) == OTHER_REGION
    coordinator = UserFactory(role="coordinator", scope__region=area["ijsselland"])
    assert reach_of(coordinator).refusal(bodies["tra_twente"]) == OTHER_REGION
    assert reach_of(coordinator).refusal(bodies["prt_gelderland"]) == OTHER_REGION


# Pages and exports -----------------------------------------------------------------------------


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


@pytest.fixture
def prt_decision(area):
    """A decision of the PRT of Overijssel, next to its action."""
    item = area["meetings"]["prt_overijssel"].agenda_items.get()
    return EntryFactory(item=item, kind=EntryKind.DECISION, text="Besluit van prt_overijssel")


def csv_texts(response) -> set[str]:
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return {row[5] for row in rows[1:]}


def xlsx_texts(response) -> set[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return {row[5] for row in list(sheet.iter_rows(values_only=True))[1:]}


def test_the_pages_show_a_provincial_reader_the_prt_only(reader_client, area, prt_decision):
    listed = reader_client.get(reverse("meetings:list")).context["page"]
    assert meeting_keys(area, listed) == {"prt_overijssel"}
    actions = reader_client.get(reverse("meetings:actions"), {"status": ""})
    assert keys(entry.text for entry in actions.context["page"]) == {"prt_overijssel"}
    prt = area["meetings"]["prt_overijssel"]
    entries = reader_client.get(reverse("meetings:entries", args=[prt.pk]))
    assert entries.status_code == 200
    assert {entry.text for entry in entries.context["entries"]} == {
        "Actie van prt_overijssel",
        "Besluit van prt_overijssel",
    }


def test_the_exports_hold_a_provincial_readers_prt_only(reader_client, area, prt_decision):
    actions = reverse("meetings:actions")
    assert csv_texts(reader_client.get(actions, {"format": "csv"})) == {"Actie van prt_overijssel"}
    assert xlsx_texts(reader_client.get(actions, {"format": "xlsx"})) == {
        "Actie van prt_overijssel"
    }
    prt = reverse("meetings:entries", args=[area["meetings"]["prt_overijssel"].pk])
    for fmt, read in (("csv", csv_texts), ("xlsx", xlsx_texts)):
        response = reader_client.get(prt, {"format": fmt})
        assert response.status_code == 200
        assert read(response) == {"Actie van prt_overijssel", "Besluit van prt_overijssel"}


@pytest.mark.parametrize("key", ["tra_ijsselland", "tra_twente", "rt_gelderland", "prt_gelderland"])
def test_a_provincial_reader_cannot_open_another_tables_list_or_export(reader_client, area, key):
    url = reverse("meetings:entries", args=[area["meetings"][key].pk])
    for query in ({}, {"format": "csv"}, {"format": "xlsx"}):
        response = reader_client.get(url, query)
        assert response.status_code == 403
        assert b"Actie van" not in response.content


def test_the_full_minutes_stay_for_coordinators_and_secretaries(reader_client, area):
    # The role rule of the minutes page, as for project leaders: names and running text.
    prt = area["meetings"]["prt_overijssel"]
    assert reader_client.get(reverse("meetings:detail", args=[prt.pk])).status_code == 403


def test_the_body_filter_offers_a_provincial_reader_the_prt_only(reader_client, area):
    response = reader_client.get(reverse("meetings:list"))
    assert [code for code, _ in response.context["form"].fields["body"].choices] == ["", "PRT"]
    refused = reader_client.get(reverse("meetings:actions"), {"body": "TRA"})
    assert not refused.context["filter"].is_valid()
    assert list(refused.context["page"]) == []


def test_the_meeting_list_takes_a_constant_number_of_queries(
    reader_client, area, django_assert_max_num_queries
):
    prt = area["bodies"]["prt_overijssel"]
    for _ in range(30):
        ActionFactory(item=AgendaItemFactory(meeting=MeetingFactory(body=prt)))
    with django_assert_max_num_queries(10):
        response = reader_client.get(reverse("meetings:list"))
    assert response.context["page"].paginator.count == 31
    with django_assert_max_num_queries(10):
        response = reader_client.get(reverse("meetings:actions"))
    assert response.context["page"].paginator.count == 31


# API -------------------------------------------------------------------------------------------


@pytest.fixture
def api(api_client, reader):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reader).key}")
    return api_client


def test_the_api_lists_a_provincial_reader_the_prt_only(api, area, prt_decision):
    prt = area["meetings"]["prt_overijssel"]
    meetings = api.get("/api/v1/meetings")
    assert meetings.status_code == 200
    assert [row["id"] for row in meetings.json()["results"]] == [prt.pk]
    actions = api.get("/api/v1/actions").json()["results"]
    assert keys(row["text"] for row in actions) == {"prt_overijssel"}
    assert api.get("/api/v1/meetings?body=PRT").json()["count"] == 1
    assert api.get("/api/v1/actions?body=TRA").status_code == 400


def test_the_api_gives_a_provincial_reader_the_prt_meeting_and_action(api, area, prt_decision):
    prt = area["meetings"]["prt_overijssel"]
    detail = api.get(f"/api/v1/meetings/{prt.pk}")
    assert detail.status_code == 200
    entries = detail.json()["agenda_items"][0]["entries"]
    assert {(row["kind"], row["text"]) for row in entries} == {
        ("A", "Actie van prt_overijssel"),
        ("B", "Besluit van prt_overijssel"),
    }
    action = Entry.objects.get(text="Actie van prt_overijssel")
    assert api.get(f"/api/v1/actions/{action.pk}").json()["text"] == action.text


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("tra_ijsselland", REGIONAL_TABLE),
        ("tra_twente", REGIONAL_TABLE),
        ("rt_gelderland", REGIONAL_TABLE),
        ("prt_gelderland", OTHER_REGION),
    ],
)
def test_the_api_refuses_a_provincial_reader_another_tables_meeting(api, area, key, reason):
    meeting = area["meetings"][key]
    action = Entry.objects.get(text=f"Actie van {key}")
    for path in (f"/api/v1/meetings/{meeting.pk}", f"/api/v1/actions/{action.pk}"):
        response = api.get(path)
        assert response.status_code == 403
        assert response.json()["detail"] == reason
        assert "Actie van" not in response.content.decode()
    assert api.get("/api/v1/meetings/999999").status_code == 404


def test_the_api_lists_take_a_constant_number_of_queries(api, area, django_assert_max_num_queries):
    prt = area["bodies"]["prt_overijssel"]
    for _ in range(30):
        ActionFactory(item=AgendaItemFactory(meeting=MeetingFactory(body=prt)))
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/actions").json()["count"] == 31
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/meetings").json()["count"] == 31
