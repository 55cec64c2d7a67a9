"""Issue 20's walk through one table cycle, end to end through the admin, the pages and the API:
the secretary uploads two attachments and sends the pack; a project leader of Hellendoorn reads
them and writes an annotation that a project leader of Enschede finds on no page, export or API
response; after approval at the next meeting the minutes refuse an edit in the admin and the API;
a portfolio shows its decisions and open actions."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from meetings.models import EntryKind, Meeting, MeetingStatus, PrivateAnnotation
from meetings.portfolios import portfolio_create
from tests.factories import MunicipalityFactory, ProvinceFactory, SafetyRegionFactory, UserFactory
from tests.notifications.conftest import SITE

from .factories import ActionFactory, AgendaItemFactory, BodyFactory, EntryFactory, MeetingFactory
from .test_attachments import PDF, upload_on_item
from .test_pack import links_in, send

pytestmark = pytest.mark.django_db

SECRET = "Ter info: het aantal derdelanders in Hellendoorn is 14"


@pytest.fixture
def cycle(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SITE_URL = SITE
    overijssel = ProvinceFactory(code="PV23", name="Overijssel")
    twente = SafetyRegionFactory(code="VR05", name="Twente", province=overijssel)
    hellendoorn = MunicipalityFactory(code="GM0163", name="Hellendoorn", safety_region=twente)
    enschede = MunicipalityFactory(code="GM0153", name="Enschede", safety_region=twente)
    wierden = MunicipalityFactory(code="GM0189", name="Wierden", safety_region=twente)
    tra = BodyFactory(code="TRA", name="Regietafel Twente", safety_region=twente)
    meeting = MeetingFactory(body=tra, date=datetime.date(2024, 1, 24), status="planned")
    item = AgendaItemFactory(meeting=meeting, number="3", title="Voorstel effectiviteit TRA")
    portfolio = portfolio_create(body=tra, theme="coordinatie", holders=[wierden])
    EntryFactory(
        item=item,
        kind=EntryKind.DECISION,
        text="Besluit: werken met portefeuilles",
        portfolio=portfolio,
    )
    ActionFactory(
        item=item, text="Actie: trekkers per portefeuille voordragen", portfolio=portfolio
    )
    MeetingFactory(body=tra, date=datetime.date(2024, 2, 21))

    def person(username, role, **scope):
        user = UserFactory(
            username=username,
            role=role,
            email=f"{username}@example.nl",
            **{f"scope__{key}": value for key, value in scope.items()},
        )
        user.is_staff = role == "secretary"
        user.save()
        return user

    return {
        "meeting": meeting,
        "item": item,
        "portfolio": portfolio,
        "secretary": person("secr-tw", "secretary", region=twente),
        "hellendoorn": person("pl-hd", "project_leader", municipality=hellendoorn),
        "enschede": person("pl-es", "project_leader", municipality=enschede),
    }


def test_one_table_cycle(
    cycle, client, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    meeting, item = cycle["meeting"], cycle["item"]

    # The secretary uploads two attachments in the admin and sends the pack.
    client.force_login(cycle["secretary"])
    for number, label in ((1, "Voorstel effectiviteit TRA"), (2, "Overzicht derdelanders")):
        response = upload_on_item(
            client, item, f"bijlage{number}.pdf", PDF, number=number, label=label
        )
        assert response.status_code == 302
    send(client, cycle["secretary"], meeting, django_capture_on_commit_callbacks)

    # Hellendoorn's project leader follows the links in the mail and reads both.
    received = next(m for m in mailoutbox if m.to == [cycle["hellendoorn"].email])
    downloads = [
        link.removeprefix(SITE) for link in links_in(received.body) if "/bijlagen/" in link
    ]
    assert len(downloads) == 2 and not received.attachments
    hellendoorn = Client()
    hellendoorn.force_login(cycle["hellendoorn"])
    for path in downloads:
        response = hellendoorn.get(path)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF

    # ... and writes an annotation for Hellendoorn.
    response = hellendoorn.post(
        reverse("meetings:annotation_edit", args=[item.pk]), {"advice": "note", "text": SECRET}
    )
    assert response.status_code == 302
    annotation = PrivateAnnotation.objects.get()

    # Enschede's project leader finds it nowhere.
    enschede = Client()
    enschede.force_login(cycle["enschede"])
    pages = [
        reverse("meetings:annotations", args=[meeting.pk]),
        reverse("meetings:annotations_print", args=[meeting.pk]),
        reverse("meetings:annotation_edit", args=[item.pk]),
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:entries", args=[meeting.pk]),
        reverse("meetings:entries", args=[meeting.pk]) + "?format=csv",
        reverse("meetings:entries", args=[meeting.pk]) + "?format=xlsx",
        reverse("meetings:portfolio", args=[cycle["portfolio"].pk]),
        "/meetings/",
        "/actions/",
        "/actions/?format=csv",
        "/",
    ]
    readable = 0
    for url in pages:
        response = enschede.get(url)
        readable += response.status_code == 200
        # The minutes pages are the coordinators' and the secretary's (403 for a project leader).
        assert response.status_code in (200, 403), url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET.encode() not in body, url
    assert readable >= 8  # the walk reads pages, not only refusals
    api = APIClient()
    api.force_authenticate(cycle["enschede"])
    for url in (
        "/api/v1/annotations",
        f"/api/v1/meetings/{meeting.pk}",
        "/api/v1/meetings",
        "/api/v1/actions",
        "/api/v1/portfolios",
    ):
        response = api.get(url)
        # The minutes pages are the coordinators' and the secretary's (403 for a project leader).
        assert response.status_code in (200, 403), url
        assert SECRET not in response.content.decode(), url
    assert api.get(f"/api/v1/annotations/{annotation.pk}").status_code == 404

    # The meeting is held; the next meeting adopts its minutes; then an edit is refused in the
    # admin and the API.
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    response = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "approve_minutes_at_next_meeting", "_selected_action": [meeting.pk]},
        follow=True,
    )
    assert Meeting.objects.get(pk=meeting.pk).minutes_locked, [
        str(m) for m in response.context["messages"]
    ]
    decision = item.entries.get(kind=EntryKind.DECISION)
    response = client.post(
        reverse("admin:meetings_entry_change", args=[decision.pk]),
        {"text": "Anders besloten", "kind": "B", "position": decision.position},
    )
    assert response.status_code == 403
    secretary_api = APIClient()
    secretary_api.force_authenticate(cycle["secretary"])
    response = secretary_api.patch(f"/api/v1/meetings/{meeting.pk}", {"venue": "Anders"})
    assert response.status_code == 405
    decision.refresh_from_db()
    assert decision.text == "Besluit: werken met portefeuilles"
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Vastgesteld op" in page

    # The portfolio shows what was decided and what is still open.
    page = hellendoorn.get(reverse("meetings:portfolio", args=[cycle["portfolio"].pk]))
    text = page.content.decode()
    assert "Besluit: werken met portefeuilles" in text
    assert "Actie: trekkers per portefeuille voordragen" in text
    assert "Wierden" in text
