"""The admin's import runs the same validation and bulk writes, all or nothing, with history."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from capacity.models import CapacityReport, Location
from capacity.resources import CapacityReportResource, LocationResource
from municipalities.models import KeyFigure
from municipalities.resources import KeyFigureResource, MunicipalityResource, SniffingCSV
from tests.capacity.factories import CapacityReportFactory
from tests.factories import UserFactory

GOOD = "location;date;capacity;occupied\nENS-1;02-01-2023;60;50\n\nENS-2;2023-01-02;40;30\n"
BAD = GOOD + "HGL-1;2023-01-02;20;21\n"


@pytest.fixture
def admin_user(db):
    return UserFactory(username="beheer", is_superuser=True, is_staff=True)


def dataset(text):
    return SniffingCSV().create_dataset(text)


def test_the_admin_import_is_all_or_nothing(locations, admin_user):
    result = CapacityReportResource().import_data(
        dataset(BAD), dry_run=False, user=admin_user, file_name="a.csv"
    )
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.error_dict == {
        "occupied": ["rij 5: Bezet (21) kan niet hoger zijn dan de capaciteit (20)."]
    }
    assert not CapacityReport.objects.exists()
    assert not CapacityReport.history.exists()


def test_the_admin_import_writes_in_bulk_with_history_and_is_idempotent(
    locations, admin_user, django_capture_on_commit_callbacks
):
    existing = CapacityReportFactory(location=locations["ENS-2"], date=datetime.date(2023, 1, 2))
    with django_capture_on_commit_callbacks() as callbacks:
        result = CapacityReportResource().import_data(
            dataset(GOOD), dry_run=False, user=admin_user, file_name="a.csv"
        )
    assert (result.totals["new"], result.totals["update"]) == (1, 1)
    assert len(callbacks) == 1  # one recompute for the file
    existing.refresh_from_db()
    assert existing.occupied == 30
    records = CapacityReport.history.filter(history_user=admin_user)
    assert sorted(records.values_list("history_type", flat=True)) == ["+", "~"]
    assert set(records.values_list("history_change_reason", flat=True)) == {
        "Import a.csv (beheer) door beheer"
    }
    again = CapacityReportResource().import_data(dataset(GOOD), dry_run=False, user=admin_user)
    assert again.totals["skip"] == 3  # the blank line included
    assert CapacityReport.history.filter(history_user=admin_user).count() == 2


def test_a_dry_run_in_the_admin_writes_nothing(locations, admin_user):
    result = CapacityReportResource().import_data(dataset(GOOD), dry_run=True, user=admin_user)
    assert result.totals["new"] == 2
    assert not CapacityReport.objects.exists()


def test_the_admin_import_keeps_a_coordinators_scope(locations, enschede):
    coordinator = UserFactory(role="coordinator")
    leader = UserFactory(role="project_leader", scope__municipality=enschede)
    as_coordinator = CapacityReportResource().import_data(
        dataset(GOOD), user=coordinator, dry_run=True
    )
    assert not as_coordinator.has_errors() and not as_coordinator.has_validation_errors()
    result = CapacityReportResource().import_data(
        dataset(GOOD + "HGL-1;2023-01-02;20;10\n"), user=leader
    )
    assert [row.number for row in result.invalid_rows] == [4]
    assert not CapacityReport.objects.exists()


def test_a_missing_column_is_an_error_of_the_whole_file(locations, admin_user):
    result = CapacityReportResource().import_data(
        dataset("location,date\nENS-1,2023-01-02\n"), user=admin_user
    )
    assert result.has_errors()
    assert "kolom capacity: Deze kolom ontbreekt." in str(result.base_errors[0].error)


def test_the_export_writes_the_import_columns(locations):
    CapacityReportFactory(location=locations["ENS-1"], date=datetime.date(2023, 1, 2))
    exported = CapacityReportResource().export()
    assert exported.headers == ["location", "date", "capacity", "occupied", "reserved"]
    assert list(exported[0]) == ["ENS-1", "2023-01-02", "60", "50", "0"]
    assert LocationResource().export().headers[:3] == ["code", "name", "municipality"]


def test_the_municipality_and_population_resources_import(enschede, admin_user):
    result = MunicipalityResource().import_data(
        dataset("code,name,safety_region\nGM0153,Enschede (stad),VR05\n"), user=admin_user
    )
    assert result.totals["update"] == 1
    enschede.refresh_from_db()
    assert enschede.name == "Enschede (stad)"
    result = KeyFigureResource().import_data(
        dataset("municipality,date,inhabitants\nGM0153,01-01-2023,160640\n"), user=admin_user
    )
    assert result.totals["new"] == 1
    assert KeyFigure.objects.get().population == 160_640
    assert KeyFigure.history.get().history_user == admin_user


def test_the_admin_pages_import_a_file_after_the_preview(client, locations, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:capacity_capacityreport_import")
    form = client.get(url)
    assert form.status_code == 200
    formats = form.context["form"].fields["format"].choices
    csv_format = next(value for value, label in formats if label == "csv")
    preview = client.post(
        url,
        {
            "resource": 0,
            "format": csv_format,
            "import_file": SimpleUploadedFile("a.csv", GOOD.encode()),
        },
    )
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    assert confirm is not None
    assert not CapacityReport.objects.exists()
    done = client.post(
        reverse("admin:capacity_capacityreport_process_import"), confirm.initial, follow=True
    )
    assert done.status_code == 200
    assert CapacityReport.objects.count() == 2


def test_the_admin_preview_of_a_bad_file_offers_no_confirm(client, locations, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:capacity_capacityreport_import")
    preview = client.post(
        url,
        {"resource": 0, "format": 0, "import_file": SimpleUploadedFile("a.csv", BAD.encode())},
    )
    assert preview.context.get("confirm_form") is None
    assert "Bezet (21) kan niet hoger zijn" in preview.content.decode()


def test_staff_without_an_import_role_may_not_import_in_the_admin(client, db):
    secretary = UserFactory(role="secretary", is_staff=True)
    client.force_login(secretary)
    assert client.get(reverse("admin:capacity_location_import")).status_code == 403
    assert not Location.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "admin:municipalities_municipality_import",
        "admin:municipalities_keyfigure_import",
        "admin:capacity_location_import",
        "admin:capacity_capacityreport_import",
        "admin:capacity_location_export",
    ],
)
def test_every_import_and_export_page_of_the_admin_opens(client, admin_user, name):
    client.force_login(admin_user)
    assert client.get(reverse(name)).status_code == 200
