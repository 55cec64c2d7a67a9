"""The meeting pack by e-mail (issue 20): the secretary sends the agenda with its attachments as
links to the participants in one admin action; the meeting records when and to whom it went."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import Attachment, MeetingPackSend, PackStatus
from tests.factories import MunicipalityFactory, ProvinceFactory, SafetyRegionFactory, UserFactory
from tests.notifications.conftest import SITE

from .factories import AgendaItemFactory, BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
CHANGELIST = "admin:meetings_meeting_changelist"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SITE_URL = SITE
    return settings.PRIVATE_MEDIA_ROOT


def attach(target, number=None, label="Stuk", content=PDF, **fields):
    from meetings.attachments import attachment_version_add

    field = "meeting" if target.__class__.__name__ == "Meeting" else "item"
    attachment = Attachment.objects.create(**{field: target}, number=number, label=label, **fields)
    attachment_version_add(attachment=attachment, upload=SimpleUploadedFile("stuk.pdf", content))
    return attachment


def person(username, role, *, email=True, active=True, **scope):
    user = UserFactory(
        username=username,
        role=role,
        email=f"{username}@example.nl" if email else "",
        is_active=active,
        **{f"scope__{key}": value for key, value in scope.items()},
    )
    if role == "secretary":
        user.is_staff = True
        user.save()
    return user


@pytest.fixture
def world():
    overijssel = ProvinceFactory(code="PV23", name="Overijssel")
    gelderland = ProvinceFactory(code="PV25", name="Gelderland")
    twente = SafetyRegionFactory(code="VR05", name="Twente", province=overijssel)
    ijsselland = SafetyRegionFactory(code="VR04", name="IJsselland", province=overijssel)
    noord = SafetyRegionFactory(code="VR06", name="NOG", province=gelderland)
    hellendoorn = MunicipalityFactory(code="GM0163", name="Hellendoorn", safety_region=twente)
    deventer = MunicipalityFactory(code="GM0150", name="Deventer", safety_region=ijsselland)
    apeldoorn = MunicipalityFactory(code="GM0200", name="Apeldoorn", safety_region=noord)
    tra = BodyFactory(code="TRA", name="Regietafel Twente", safety_region=twente)
    meeting = MeetingFactory(body=tra, date=datetime.date(2024, 1, 24), status="planned")
    # Typed out of order: the pack follows the positions.
    later = AgendaItemFactory(meeting=meeting, position=2, number="3", title="Voorstel TRA")
    earlier = AgendaItemFactory(meeting=meeting, position=1, number="1", title="Opening")
    proposal = attach(later, number=2, label="Voorstel effectiviteit TRA")
    minutes = attach(meeting, number=1, label="Verslag TRA 13 december 2023")
    prt = MeetingFactory(
        body=BodyFactory(
            code="PRT", name="Provinciale regietafel", safety_region=None, province=overijssel
        ),
        date=datetime.date(2024, 1, 30),
    )
    AgendaItemFactory(meeting=prt, number="1", title="Opening")
    return {
        "meeting": meeting,
        "items": (earlier, later),
        "proposal": proposal,
        "minutes": minutes,
        "prt": prt,
        "secretary": person("secr-tw", "secretary", region=twente),
        "coordinator": person("coord-tw", "coordinator", region=twente),
        "hellendoorn": person("pl-hd", "project_leader", municipality=hellendoorn),
        "inactive": person("pl-old", "project_leader", active=False, municipality=hellendoorn),
        "no_email": person("pl-nomail", "project_leader", email=False, municipality=hellendoorn),
        "deventer": person("pl-dv", "project_leader", municipality=deventer),
        "province": person("prov-ov", "provincial_reader", region=twente),
        "apeldoorn": person("pl-ap", "project_leader", municipality=apeldoorn),
        "province_gld": person("prov-gld", "provincial_reader", region=noord),
    }


def send(client, user, meeting, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse(CHANGELIST),
            {"action": "send_pack", "_selected_action": [meeting.pk]},
            follow=True,
        )


def addresses(*users) -> set[str]:
    return {user.email for user in users}


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def test_the_pack_goes_over_smtp_to_the_regions_participants_only(
    world, client, smtp, eager_celery, django_capture_on_commit_callbacks
):
    response = send(
        client, world["secretary"], world["meeting"], django_capture_on_commit_callbacks
    )

    expected = addresses(world["secretary"], world["coordinator"], world["hellendoorn"])
    assert "Vergaderstukken van TRA 24-01-2024 verstuurd aan 3 deelnemers" in (
        response.content.decode()
    )
    assert {address for message in smtp.messages for address in message.to} == expected
    assert all(len(message.to) == 1 for message in smtp.messages)  # nobody sees the others
    message = smtp.to(world["hellendoorn"].email)[0]
    assert message.subject == "Vergaderstukken Regietafel Twente 24-01-2024"
    # Links, not files: the message is text and HTML only.
    assert list(message.message.iter_attachments()) == []
    proposal = f"{SITE}{reverse('meetings:attachment', args=[world['proposal'].pk])}"
    minutes = f"{SITE}{reverse('meetings:attachment', args=[world['minutes'].pk])}"
    assert proposal in message.text and minutes in message.text
    assert f'href="{proposal}"' in message.html
    assert "Bijlage II Voorstel effectiviteit TRA" in message.text
    assert message.text.index("1. Opening") < message.text.index("3. Voorstel TRA")
    assert message.text.index("3. Voorstel TRA") < message.text.index(proposal)


def test_the_send_is_recorded_and_shown(
    world, client, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    send(client, world["secretary"], world["meeting"], django_capture_on_commit_callbacks)

    record = MeetingPackSend.objects.get()
    assert record.meeting == world["meeting"] and record.sent_by == world["secretary"]
    assert set(record.recipients) == addresses(
        world["secretary"], world["coordinator"], world["hellendoorn"]
    )
    assert (record.recipient_count, record.status) == (3, PackStatus.SENT)
    assert [row["title"] for row in record.attachments] == [
        "Bijlage I Verslag TRA 13 december 2023",
        "Bijlage II Voorstel effectiviteit TRA",
    ]
    assert len(mailoutbox) == 3 and all(not message.attachments for message in mailoutbox)
    change = client.get(reverse("admin:meetings_meeting_change", args=[world["meeting"].pk]))
    assert "aan 3 deelnemers" in change.content.decode()
    assert "Verstuurd op " in change.content.decode()
    detail = client.get(reverse("meetings:detail", args=[world["meeting"].pk]))
    assert re.search(r"Verstuurd op \d\d-\d\d-\d{4} \d\d\.\d\d aan 3 deelnemers", detail.text)


def test_a_recipient_follows_a_link_and_another_region_cannot(
    world, client, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    send(client, world["secretary"], world["meeting"], django_capture_on_commit_callbacks)
    received = next(m for m in mailoutbox if m.to == [world["hellendoorn"].email])
    downloads = [link for link in links_in(received.body) if "/bijlagen/" in link]
    assert len(downloads) == 2
    path = downloads[0].removeprefix(SITE)

    client.force_login(world["hellendoorn"])
    response = client.get(path)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    for outsider in ("deventer", "apeldoorn", "province"):
        client.force_login(world[outsider])
        assert client.get(path).status_code in (403, 404), outsider
    client.logout()
    assert client.get(path).status_code in (302, 403)


def test_a_provincial_table_goes_to_the_provinces_readers_and_regions(
    world, client, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    from meetings.pack import pack_participants

    participants = set(pack_participants(world["prt"]))
    assert participants == {
        world["secretary"],
        world["coordinator"],
        world["hellendoorn"],
        world["deventer"],
        world["province"],
    }


def test_a_meeting_without_agenda_items_is_refused(
    world, client, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    empty = MeetingFactory(body=world["meeting"].body, date=datetime.date(2024, 3, 6))
    response = send(client, world["secretary"], empty, django_capture_on_commit_callbacks)
    assert "heeft nog geen agendapunten" in response.content.decode()
    assert not MeetingPackSend.objects.exists() and mailoutbox == []


def test_a_refused_mail_server_marks_the_send_failed(
    world, client, mail_settings, eager_celery, django_capture_on_commit_callbacks
):
    # Nothing listens on the port: the record says so and the task would retry.
    send(client, world["secretary"], world["meeting"], django_capture_on_commit_callbacks)
    record = MeetingPackSend.objects.get()
    assert record.status == PackStatus.FAILED and record.error


def test_another_role_cannot_send(
    world, client, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    coordinator = world["coordinator"]
    coordinator.is_staff = True
    coordinator.save()
    response = send(client, coordinator, world["meeting"], django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not MeetingPackSend.objects.exists() and mailoutbox == []


def test_a_secretary_without_the_permission_has_no_such_action(
    world, client, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    secretary = world["secretary"]
    secretary.groups.get().permissions.remove(
        Permission.objects.get(codename="add_meetingpacksend")
    )
    client.force_login(secretary)
    page = client.get(reverse(CHANGELIST))
    assert page.status_code == 200 and 'value="send_pack"' not in page.content.decode()
    send(client, secretary, world["meeting"], django_capture_on_commit_callbacks)
    assert not MeetingPackSend.objects.exists() and mailoutbox == []


def test_another_regions_secretary_cannot_send_this_meeting(
    world, client, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    other = person("secr-ij", "secretary", region=world["deventer"].membership.safety_region)
    send(client, other, world["meeting"], django_capture_on_commit_callbacks)
    assert not MeetingPackSend.objects.exists() and mailoutbox == []
