"""Private annotations (issue 20): a municipality's own advice per agenda item, read by that
municipality's accounts only, on the pages, the print view and the API `annotations/`."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from meetings.models import PrivateAnnotation
from tests.factories import MunicipalityFactory, ProvinceFactory, SafetyRegionFactory, UserFactory

from .factories import AgendaItemFactory, BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db

SECRET = "Ter info: het aantal derdelanders in Hellendoorn is 14"


@pytest.fixture
def table():
    overijssel = ProvinceFactory(code="PV23")
    twente = SafetyRegionFactory(code="VR05", province=overijssel)
    ijsselland = SafetyRegionFactory(code="VR04", name="IJsselland", province=overijssel)
    hellendoorn = MunicipalityFactory(code="GM0163", name="Hellendoorn", safety_region=twente)
    enschede = MunicipalityFactory(code="GM0153", name="Enschede", safety_region=twente)
    deventer = MunicipalityFactory(code="GM0150", name="Deventer", safety_region=ijsselland)
    meeting = MeetingFactory(
        body=BodyFactory(code="TRA", safety_region=twente), date=datetime.date(2024, 1, 24)
    )
    items = [
        AgendaItemFactory(meeting=meeting, number="4.1", title="Verdeling 225 plaatsen"),
        AgendaItemFactory(meeting=meeting, number="4.2", title="Derdelanders"),
    ]
    other = MeetingFactory(body=BodyFactory(code="TRA", safety_region=ijsselland))
    users = {
        "hellendoorn": UserFactory(
            username="pl-hellendoorn", role="project_leader", scope__municipality=hellendoorn
        ),
        "hellendoorn2": UserFactory(
            username="pl-hellendoorn-2", role="project_leader", scope__municipality=hellendoorn
        ),
        "enschede": UserFactory(
            username="pl-enschede", role="project_leader", scope__municipality=enschede
        ),
        "deventer": UserFactory(
            username="pl-deventer", role="project_leader", scope__municipality=deventer
        ),
        "coordinator": UserFactory(
            username="coord", role="coordinator", scope__region=twente, is_staff=True
        ),
        "secretary": UserFactory(
            username="secr", role="secretary", scope__region=twente, is_staff=True
        ),
        "provincial_reader": UserFactory(
            username="prov", role="provincial_reader", scope__region=twente
        ),
    }
    return {
        "meeting": meeting,
        "items": items,
        "other_item": AgendaItemFactory(meeting=other),
        "users": users,
        "hellendoorn": hellendoorn,
    }


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def write(table, user="hellendoorn", item=0, advice="note", text=SECRET):
    return logged_in(table["users"][user]).post(
        reverse("meetings:annotation_edit", args=[table["items"][item].pk]),
        {"advice": advice, "text": text},
    )


def test_a_project_leader_annotates_an_item_for_their_municipality(table):
    response = write(table)
    assert response.status_code == 302
    annotation = PrivateAnnotation.objects.get()
    assert annotation.municipality == table["hellendoorn"]
    assert annotation.safety_region is None
    assert (annotation.advice, annotation.text) == ("note", SECRET)
    agenda = reverse("meetings:annotations", args=[table["meeting"].pk])
    assert response["Location"] == f"{agenda}#punt-{table['items'][0].pk}"
    # A colleague of the same municipality reads it, also in the print view.
    colleague = logged_in(table["users"]["hellendoorn2"])
    page = colleague.get(agenda).content.decode()
    assert SECRET in page and "Ter kennisname" in page
    printed = colleague.get(reverse("meetings:annotations_print", args=[table["meeting"].pk]))
    assert SECRET in printed.content.decode()


def test_writing_again_changes_the_own_annotation(table):
    write(table)
    response = write(table, user="hellendoorn2", advice="agree", text="Advies: instemmen")
    assert response.status_code == 302
    annotation = PrivateAnnotation.objects.get()
    assert (annotation.advice, annotation.text) == ("agree", "Advies: instemmen")
    assert annotation.author == table["users"]["hellendoorn2"]


def test_an_unknown_advice_is_refused_and_nothing_saved(table):
    response = write(table, advice="maybe")
    assert response.status_code == 200
    assert "advice" in response.context["form"].errors
    assert not PrivateAnnotation.objects.exists()


@pytest.mark.parametrize("role", ["enschede", "coordinator", "deventer"])
def test_others_never_read_the_annotation_on_a_page(table, role):
    write(table)
    client = logged_in(table["users"][role])
    meeting = table["meeting"]
    urls = [
        reverse("meetings:annotations", args=[meeting.pk]),
        reverse("meetings:annotations_print", args=[meeting.pk]),
        reverse("meetings:annotation_edit", args=[table["items"][0].pk]),
        reverse("meetings:entries", args=[meeting.pk]),
        reverse("meetings:entries", args=[meeting.pk]) + "?format=csv",
        reverse("meetings:detail", args=[meeting.pk]),
        "/meetings/",
        "/actions/",
    ]
    for url in urls:
        response = client.get(url)
        assert SECRET not in response.content.decode(), url
    expected = 403 if role == "deventer" else 200
    assert client.get(urls[0]).status_code == expected


@pytest.mark.parametrize("role", ["secretary", "provincial_reader"])
def test_the_secretary_and_the_province_have_no_annotation_pages(table, role):
    write(table)
    client = logged_in(table["users"][role])
    for name, pk in (
        ("meetings:annotations", table["meeting"].pk),
        ("meetings:annotations_print", table["meeting"].pk),
        ("meetings:annotation_edit", table["items"][0].pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 403
        assert client.post(reverse(name, args=[pk]), {"advice": "agree"}).status_code == 403
    assert PrivateAnnotation.objects.count() == 1


def test_the_secretary_s_minutes_page_does_not_show_it(table):
    write(table)
    page = logged_in(table["users"]["secretary"]).get(
        reverse("meetings:detail", args=[table["meeting"].pk])
    )
    assert page.status_code == 200
    assert SECRET not in page.content.decode()


def test_an_item_of_another_region_cannot_be_annotated(table):
    client = logged_in(table["users"]["hellendoorn"])
    url = reverse("meetings:annotation_edit", args=[table["other_item"].pk])
    assert client.post(url, {"advice": "agree"}).status_code == 403
    assert client.get(reverse("meetings:annotation_edit", args=[99999])).status_code == 404
    assert not PrivateAnnotation.objects.exists()


def test_a_coordinator_annotates_for_the_vrt(table):
    write(table, user="coordinator", text="Advies VRT")
    annotation = PrivateAnnotation.objects.get()
    assert annotation.municipality is None
    assert annotation.safety_region.code == "VR05"
    page = logged_in(table["users"]["hellendoorn"]).get(
        reverse("meetings:annotations", args=[table["meeting"].pk])
    )
    assert "Advies VRT" not in page.content.decode()


# The API ---------------------------------------------------------------------------------


def test_the_api_creates_lists_and_updates_own_annotations(table):
    client = api(table["users"]["hellendoorn"])
    item = table["items"][1]
    created = client.post(
        reverse("annotation-list"),
        {"agenda_item": item.pk, "advice": "agree", "text": "Advies: instemmen met voorstel"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body == {
        "id": body["id"],
        "agenda_item": item.pk,
        "meeting": table["meeting"].pk,
        "advice": "agree",
        "text": "Advies: instemmen met voorstel",
        "updated_at": body["updated_at"],
    }
    detail = reverse("annotation-detail", args=[body["id"]])
    changed = client.patch(detail, {"advice": "discuss"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["advice"] == "discuss"
    assert changed.json()["text"] == "Advies: instemmen met voorstel"
    listed = api(table["users"]["hellendoorn2"]).get(reverse("annotation-list")).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]


def test_the_meeting_detail_gives_the_agenda_item_ids(table):
    response = api(table["users"]["coordinator"]).get(f"/api/v1/meetings/{table['meeting'].pk}")
    assert [item["id"] for item in response.json()["agenda_items"]] == [
        item.pk for item in table["items"]
    ]


def test_the_api_shows_another_municipality_nothing(table):
    write(table)
    annotation = PrivateAnnotation.objects.get()
    detail = reverse("annotation-detail", args=[annotation.pk])
    for role in ("enschede", "coordinator", "deventer"):
        client = api(table["users"][role])
        listed = client.get(reverse("annotation-list"))
        assert listed.status_code == 200
        assert listed.json()["count"] == 0
        assert SECRET not in listed.content.decode()
        assert client.get(detail).status_code == 404
        assert client.patch(detail, {"advice": "agree"}, format="json").status_code == 404
        assert client.put(
            detail, {"agenda_item": annotation.item_id, "advice": "agree"}, format="json"
        ).status_code in (404,)
        assert client.delete(detail).status_code in (404, 405)
    annotation.refresh_from_db()
    assert annotation.advice == "note"


@pytest.mark.parametrize("role", ["secretary", "provincial_reader"])
def test_the_api_refuses_the_secretary_and_the_province(table, role):
    write(table)
    client = api(table["users"][role])
    assert client.get(reverse("annotation-list")).status_code == 403
    response = client.post(
        reverse("annotation-list"),
        {"agenda_item": table["items"][0].pk, "advice": "agree"},
        format="json",
    )
    assert response.status_code == 403
    assert PrivateAnnotation.objects.count() == 1


def test_the_api_refuses_bad_input(table):
    client = api(table["users"]["hellendoorn"])
    url = reverse("annotation-list")
    item = table["items"][0].pk
    cases = [
        {"agenda_item": item, "advice": "yes"},
        {"agenda_item": table["other_item"].pk, "advice": "agree"},
        {"agenda_item": 99999, "advice": "agree"},
        {"agenda_item": "vier", "advice": "agree"},
        {"advice": "agree"},
    ]
    for data in cases:
        assert client.post(url, data, format="json").status_code == 400, data
    assert not PrivateAnnotation.objects.exists()
    assert (
        client.post(url, {"agenda_item": item, "advice": "agree"}, format="json").status_code == 201
    )
    twice = client.post(url, {"agenda_item": item, "advice": "note"}, format="json")
    assert twice.status_code == 400
    assert "al een annotatie" in twice.content.decode()
    own = PrivateAnnotation.objects.get()
    moved = client.patch(
        reverse("annotation-detail", args=[own.pk]),
        {"agenda_item": table["items"][1].pk},
        format="json",
    )
    assert moved.status_code == 400
    own.refresh_from_db()
    assert (own.item_id, own.advice) == (item, "agree")


def test_the_list_takes_a_fixed_number_of_queries(table, django_assert_max_num_queries):
    for n, item in enumerate(
        [*table["items"], *AgendaItemFactory.create_batch(5, meeting=table["meeting"])]
    ):
        write_item = item
        PrivateAnnotation.objects.create(
            item=write_item, municipality=table["hellendoorn"], advice="note", text=f"n{n}"
        )
    client = api(table["users"]["hellendoorn"])
    with django_assert_max_num_queries(6):
        response = client.get(reverse("annotation-list"), {"meeting": table["meeting"].pk})
    assert response.json()["count"] == 7
