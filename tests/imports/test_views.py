import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from capacity.models import CapacityReport
from capacity.tasks import recompute_occupancy
from imports.models import ImportRun, ImportStatus
from imports.service import stored_upload
from tests.capacity.factories import LocationFactory
from tests.factories import MunicipalityFactory, SafetyRegionFactory, UserFactory

from .factories import ImportRunFactory

GOOD = b"location;date;capacity;occupied\nENS-1;02-01-2023;60;50\nENS-2;02-01-2023;40;30\n"
BAD = b"location,date,capacity,occupied\nENS-1,2023-01-02,60,50\nENS-2,2023-01-02,40,45\n"
LIST = reverse("imports:list")


def upload(client, content=GOOD, name="meldingen.csv", kind="capacity-reports"):
    return client.post(LIST, {"kind": kind, "file": SimpleUploadedFile(name, content)})


@pytest.fixture
def coordinator_client(client, locations):
    user = UserFactory(username="coord-x", role="coordinator")
    client.force_login(user)
    client.user = user
    return client


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ["secretary", "provincial_reader"])
def test_secretaries_and_provincial_readers_get_403(client, db, role):
    client.force_login(UserFactory(role=role))
    assert client.get(LIST).status_code == 403
    assert upload(client).status_code == 403


def test_a_coordinator_may_upload_every_kind_and_a_project_leader_three(client, enschede):
    client.force_login(UserFactory(role="coordinator"))
    kinds = client.get(LIST).context["form"].fields["kind"].choices
    assert [kind for kind, _ in kinds] == [
        "municipalities",
        "population",
        "locations",
        "capacity-reports",
        "permit-holders",
    ]
    client.force_login(UserFactory(role="project_leader", scope__municipality=enschede))
    kinds = client.get(LIST).context["form"].fields["kind"].choices
    assert [kind for kind, _ in kinds] == ["locations", "capacity-reports", "permit-holders"]


def test_the_navigation_links_to_the_import_page_for_importers_only(client, db):
    nav_link = f'<a class="utrecht-link" href="{LIST}">Importeren</a>'.encode()
    locations_page = reverse("capacity:location-list")
    client.force_login(UserFactory(role="coordinator"))
    assert nav_link in client.get(locations_page).content
    client.force_login(UserFactory(role="secretary"))
    assert nav_link not in client.get(locations_page).content


def test_an_upload_shows_a_preview_and_writes_nothing(coordinator_client):
    response = upload(coordinator_client)
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:detail", args=[run.pk])
    assert run.status == ImportStatus.VALIDATED
    assert run.created_count == 2
    assert not CapacityReport.objects.exists()
    assert stored_upload(run).read_bytes() == GOOD
    page = coordinator_client.get(response.url)
    assert page.status_code == 200
    assert b"Bevestigen" in page.content
    assert b"ENS-2, 02-01-2023" in page.content


def test_confirming_imports_the_file_and_removes_the_upload(coordinator_client):
    upload(coordinator_client)
    run = ImportRun.objects.get()
    response = coordinator_client.post(reverse("imports:confirm", args=[run.pk]), follow=True)
    assert response.status_code == 200
    assert "Geïmporteerd: 2 nieuw, 0 gewijzigd, 0 ongewijzigd." in response.content.decode()
    run.refresh_from_db()
    assert run.status == ImportStatus.IMPORTED
    assert not run.dry_run
    assert CapacityReport.objects.count() == 2
    assert not stored_upload(run).exists()
    assert b'src="/static/imports/import_status.js"' in response.content


def test_a_second_confirm_imports_nothing_more(coordinator_client):
    upload(coordinator_client)
    run = ImportRun.objects.get()
    url = reverse("imports:confirm", args=[run.pk])
    coordinator_client.post(url)
    response = coordinator_client.post(url, follow=True)
    assert "al uitgevoerd" in response.content.decode()
    assert CapacityReport.objects.count() == 2
    assert CapacityReport.history.count() == 2


def test_a_confirm_checks_the_file_again_against_the_data_of_now(coordinator_client, locations):
    upload(coordinator_client)
    run = ImportRun.objects.get()
    # Between preview and confirm someone else reports ENS-1 for that date: the import now
    # updates it instead of creating it.
    CapacityReport.objects.create(
        location=locations["ENS-1"], date=datetime.date(2023, 1, 2), capacity=60, occupied=1
    )
    coordinator_client.post(reverse("imports:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert (run.status, run.created_count, run.updated_count) == (ImportStatus.IMPORTED, 1, 1)
    assert CapacityReport.objects.get(location__code="ENS-1").occupied == 50


def test_an_upload_with_errors_lists_them_and_offers_no_confirm(coordinator_client):
    response = upload(coordinator_client, BAD)
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert not stored_upload(run).exists()
    page = coordinator_client.get(response.url).content.decode()
    assert "Bezet (45) kan niet hoger zijn dan de capaciteit (40)." in page
    assert "Er is niets geïmporteerd" in page
    assert "Bevestigen" not in page
    response = coordinator_client.post(reverse("imports:confirm", args=[run.pk]), follow=True)
    assert "al uitgevoerd of afgekeurd" in response.content.decode()
    assert not CapacityReport.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("meldingen.txt", GOOD, "Alleen .csv- en .xlsx-bestanden"),
        ("meldingen.xlsx", GOOD, "geen Excel-bestand"),
        ("meldingen.csv", b"PK\x03\x04\x14\x00", "geen tekstbestand"),
    ],
)
def test_it_refuses_files_of_another_type(coordinator_client, name, content, reason):
    response = upload(coordinator_client, content, name=name)
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not ImportRun.objects.exists()


def test_it_refuses_files_above_the_size_limit(coordinator_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 20
    response = upload(coordinator_client)
    assert "te groot" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_project_leaders_rows_of_another_municipality_are_row_errors(client, locations, enschede):
    client.force_login(UserFactory(role="project_leader", scope__municipality=enschede))
    body = GOOD + b"HGL-1;02-01-2023;25;20\n"
    upload(client, body)
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert run.errors == [
        {
            "row": 4,
            "column": "location",
            "message": "Locatie HGL-1: Gemeente Hengelo is niet uw gemeente; u mag alleen "
            "regels van Enschede importeren.",
        }
    ]


def test_only_the_uploader_may_confirm(coordinator_client, client):
    upload(coordinator_client)
    run = ImportRun.objects.get()
    colleague = UserFactory(username="coord-y", role="coordinator")
    coordinator_client.force_login(colleague)
    assert coordinator_client.get(reverse("imports:detail", args=[run.pk])).status_code == 200
    assert coordinator_client.post(reverse("imports:confirm", args=[run.pk])).status_code == 403
    assert not CapacityReport.objects.exists()


def test_a_coordinator_of_another_region_may_not_see_a_run(client, db):
    run = ImportRunFactory()  # Twente
    region = SafetyRegionFactory(code="VR04", name="IJsselland")
    client.force_login(UserFactory(role="coordinator", scope__region=region))
    assert client.get(reverse("imports:detail", args=[run.pk])).status_code == 403
    assert client.get(reverse("imports:status", args=[run.pk])).status_code == 403
    assert run.file_name.encode() not in client.get(LIST).content


def test_a_project_leader_sees_the_runs_of_their_municipality_only(client, enschede, hengelo):
    own = ImportRunFactory(municipality=enschede)
    other = ImportRunFactory(municipality=hengelo)
    client.force_login(UserFactory(role="project_leader", scope__municipality=enschede))
    content = client.get(LIST).content
    assert own.file_name.encode() in content
    assert other.file_name.encode() not in content
    assert client.get(reverse("imports:detail", args=[other.pk])).status_code == 403


def test_the_status_tells_when_the_recompute_has_finished(
    coordinator_client, django_capture_on_commit_callbacks
):
    upload(coordinator_client)
    run = ImportRun.objects.get()
    status_url = reverse("imports:status", args=[run.pk])
    with django_capture_on_commit_callbacks(execute=False):
        coordinator_client.post(reverse("imports:confirm", args=[run.pk]))
    pending = coordinator_client.get(status_url).json()
    assert pending["status"] == "imported"
    assert pending["recompute_pending"] is True
    assert pending["recompute_finished_at"] is None
    run.refresh_from_db()
    # What the worker does with the task the confirm enqueued.
    recompute_occupancy(run.recompute_municipality_ids, None, import_run_id=run.pk)
    done = coordinator_client.get(status_url).json()
    assert done["status"] == "recomputed"
    assert done["recompute_pending"] is False
    assert done["recompute_finished_at"]
    page = coordinator_client.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "Herberekening klaar" in page
    assert "import_status.js" not in page


def test_the_list_uses_a_constant_number_of_queries(
    coordinator_client, django_assert_max_num_queries
):
    for _ in range(30):
        ImportRunFactory(user=coordinator_client.user)
    with django_assert_max_num_queries(8):
        response = coordinator_client.get(LIST)
    assert len(response.context["runs"]) == 25


def test_pages_have_no_inline_script(coordinator_client):
    upload(coordinator_client)
    run = ImportRun.objects.get()
    coordinator_client.post(reverse("imports:confirm", args=[run.pk]))
    for url in (LIST, reverse("imports:detail", args=[run.pk])):
        page = coordinator_client.get(url).content.decode()
        assert "<script>" not in page
        assert 'style="' not in page


def test_an_expired_upload_cannot_be_confirmed(coordinator_client):
    upload(coordinator_client)
    run = ImportRun.objects.get()
    stored_upload(run).unlink()
    response = coordinator_client.post(reverse("imports:confirm", args=[run.pk]), follow=True)
    assert "niet meer beschikbaar" in response.content.decode()
    assert not CapacityReport.objects.exists()


def test_a_location_file_of_another_municipality_is_refused_for_a_project_leader(client, enschede):
    hengelo = MunicipalityFactory(code="GM0164", name="Hengelo")
    LocationFactory(code="X-1", municipality=hengelo)
    client.force_login(UserFactory(role="project_leader", scope__municipality=enschede))
    body = (
        b"code,name,municipality,place,type,target_group,status,opened_on,contract_end,"
        b"latitude,longitude\nNEW-1,Nieuw,GM0164,Hengelo,cno,asylum,planned,,,,\n"
    )
    upload(client, body, kind="locations")
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert run.errors[0]["column"] == "municipality"
