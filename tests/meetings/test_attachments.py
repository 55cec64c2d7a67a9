"""Attachments with versions (issue 20): uploaded by the secretary in the admin, checked by
content and size, stored under PRIVATE_MEDIA_ROOT, numbered "Bijlage II", downloaded only
under the meeting's read rule, and listed in the meeting detail of the API."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import Attachment, AttachmentVersion
from tests.factories import MunicipalityFactory, ProvinceFactory, SafetyRegionFactory, UserFactory

from .factories import AgendaItemFactory, BodyFactory, MeetingFactory
from .test_admin import form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}/document.xml", "<x/>")
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def pack():
    overijssel = ProvinceFactory(code="PV23")
    twente = SafetyRegionFactory(code="VR05", province=overijssel)
    ijsselland = SafetyRegionFactory(code="VR04", name="IJsselland", province=overijssel)
    meeting = MeetingFactory(
        body=BodyFactory(code="TRA", safety_region=twente), date=datetime.date(2024, 1, 24)
    )
    item = AgendaItemFactory(meeting=meeting, number="3", title="Voorstel effectiviteit TRA")
    prt = MeetingFactory(body=BodyFactory(code="PRT", safety_region=None, province=overijssel))
    hellendoorn = MunicipalityFactory(code="GM0163", name="Hellendoorn", safety_region=twente)
    deventer = MunicipalityFactory(code="GM0150", name="Deventer", safety_region=ijsselland)
    return {
        "meeting": meeting,
        "item": item,
        "prt": prt,
        "prt_item": AgendaItemFactory(meeting=prt),
        "hellendoorn": UserFactory(
            username="pl-hd", role="project_leader", scope__municipality=hellendoorn
        ),
        "deventer": UserFactory(
            username="pl-dv", role="project_leader", scope__municipality=deventer
        ),
        "province": UserFactory(username="prov", role="provincial_reader", scope__region=twente),
    }


@pytest.fixture
def admin_client(client, secretary):
    client.force_login(secretary)
    return client


def upload_on_item(admin_client, item, name, content, **row):
    url = reverse("admin:meetings_agendaitem_change", args=[item.pk])
    data = form_data(admin_client.get(url))
    existing = int(data["attachments-TOTAL_FORMS"])
    index = row.pop("index", existing)
    if index == existing:
        data["attachments-TOTAL_FORMS"] = str(existing + 1)
        data[f"attachments-{index}-position"] = "0"  # as the browser sends the initial value
    data |= {f"attachments-{index}-{key}": value for key, value in row.items()}
    data[f"attachments-{index}-upload"] = SimpleUploadedFile(name, content)
    return admin_client.post(url, data)


def test_the_secretary_uploads_a_numbered_attachment(pack, admin_client, private_root):
    response = upload_on_item(
        admin_client, pack["item"], "voorstel.pdf", PDF, number="1", label="Voorstel TRA"
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    attachment = Attachment.objects.get()
    assert attachment.title == "Bijlage I Voorstel TRA"
    version = attachment.versions.get()
    assert (version.number, version.content_type, version.original_name, version.size) == (
        1,
        "application/pdf",
        "voorstel.pdf",
        len(PDF),
    )
    stored = Path(version.file.path)
    assert stored.is_relative_to(private_root) and stored.read_bytes() == PDF
    for served in (django_settings.STATIC_ROOT, django_settings.MEDIA_ROOT):
        assert not stored.is_relative_to(Path(served))


@pytest.mark.parametrize(
    ("name", "content"),
    [("brief.docx", office("word")), ("cijfers.xlsx", office("xl")), ("nota.odt", odt())],
)
def test_office_documents_are_recognised_by_content(pack, admin_client, name, content):
    response = upload_on_item(admin_client, pack["item"], name, content, label=name)
    assert response.status_code == 302
    assert AttachmentVersion.objects.get().original_name == name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00 not a pdf", "Dit bestandstype kan niet als bijlage"),
        ("voorstel.docx", PDF, "De naam past niet bij de inhoud"),
        ("archief.zip", office("other"), "Dit bestandstype kan niet als bijlage"),
        ("groot.pdf", PDF + b"x" * 20_000, "Het bestand is te groot"),
    ],
)
def test_a_wrong_or_too_large_file_is_refused(pack, admin_client, settings, name, content, message):
    settings.ATTACHMENT_MAX_BYTES = 10_000
    response = upload_on_item(admin_client, pack["item"], name, content, label="Bijlage")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Attachment.objects.exists() and not AttachmentVersion.objects.exists()


def test_replacing_a_document_keeps_the_earlier_version(pack, admin_client, client):
    upload_on_item(admin_client, pack["item"], "v1.pdf", PDF, label="Voorstel")
    second = PDF + b"% versie 2\n"
    response = upload_on_item(admin_client, pack["item"], "v2.pdf", second, index=0)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert list(attachment.versions.values_list("number", "original_name")) == [
        (1, "v1.pdf"),
        (2, "v2.pdf"),
    ]
    client.force_login(pack["hellendoorn"])
    latest = client.get(reverse("meetings:attachment", args=[attachment.pk]))
    assert b"".join(latest.streaming_content) == second
    first = client.get(reverse("meetings:attachment_version", args=[attachment.pk, 1]))
    assert b"".join(first.streaming_content) == PDF
    assert 'filename="v1.pdf"' in first["Content-Disposition"]


def test_a_meeting_carries_its_own_attachments(pack, admin_client):
    meeting = pack["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(admin_client.get(url))
    data |= {
        "attachments-TOTAL_FORMS": "1",
        "attachments-0-position": "0",
        "attachments-0-number": "2",
        "attachments-0-label": "Verslag TRA 13 december 2023",
        "attachments-0-upload": SimpleUploadedFile("verslag.pdf", PDF),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    attachment = Attachment.objects.get()
    assert (attachment.meeting, attachment.item) == (meeting, None)
    assert attachment.versions.count() == 1


def attach(target, number=None, label="Stuk", content=PDF):
    from meetings.attachments import attachment_version_add

    field = "meeting" if target.__class__.__name__ == "Meeting" else "item"
    attachment = Attachment.objects.create(**{field: target}, number=number, label=label)
    attachment_version_add(attachment=attachment, upload=SimpleUploadedFile("stuk.pdf", content))
    return attachment


def test_downloads_follow_the_meetings_read_rule(pack, client):
    tra = attach(pack["item"])
    prt = attach(pack["prt_item"])
    empty = Attachment.objects.create(item=pack["item"], label="Nog geen bestand")
    cases = [
        ("hellendoorn", tra, 200),
        ("hellendoorn", prt, 200),
        ("deventer", tra, 403),
        ("deventer", prt, 200),
        ("province", tra, 403),
        ("province", prt, 200),
    ]
    for who, attachment, status in cases:
        client.force_login(pack[who])
        response = client.get(reverse("meetings:attachment", args=[attachment.pk]))
        assert response.status_code == status, (who, attachment)
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"].startswith("attachment;")
    client.force_login(pack["hellendoorn"])
    assert client.get(reverse("meetings:attachment", args=[empty.pk])).status_code == 404
    assert client.get(reverse("meetings:attachment", args=[99999])).status_code == 404
    assert client.get(reverse("meetings:attachment_version", args=[tra.pk, 7])).status_code == 404
    client.logout()
    assert client.get(reverse("meetings:attachment", args=[tra.pk])).status_code == 302


def test_the_project_leader_finds_the_pack_on_the_meeting_pages(pack, client):
    attach(pack["meeting"], number=2, label="Verslag TRA 13 december 2023")
    attach(pack["item"], number=1, label="Voorstel")
    client.force_login(pack["hellendoorn"])
    for name in ("meetings:entries", "meetings:annotations"):
        page = client.get(reverse(name, args=[pack["meeting"].pk])).content.decode()
        assert "Bijlage II Verslag TRA 13 december 2023" in page, name
        assert "Bijlage I Voorstel" in page


def test_the_meeting_detail_lists_attachments(pack, api_client):
    own = attach(pack["meeting"], number=2, label="Verslag TRA 13 december 2023")
    on_item = attach(pack["item"], number=1, label="Voorstel")
    Attachment.objects.create(item=pack["item"], label="Extern", url="https://example.nl/a.pdf")
    api_client.force_authenticate(pack["hellendoorn"])
    body = api_client.get(f"/api/v1/meetings/{pack['meeting'].pk}").json()
    base = "http://testserver/meetings/bijlagen"
    assert body["attachments"] == [
        {
            "number": "Bijlage II",
            "title": "Verslag TRA 13 december 2023",
            "url": f"{base}/{own.pk}/",
        }
    ]
    assert body["agenda_items"][0]["attachments"] == [
        {"number": "Bijlage I", "title": "Voorstel", "url": f"{base}/{on_item.pk}/"},
        {"number": "", "title": "Extern", "url": "https://example.nl/a.pdf"},
    ]
