"""Every way a capacity report is written applies the same rules (issue 14): the grid, the
API (POST, PUT, PATCH), the imports (upload page, `manage.py import_data`, the admin's
import), the admin's forms and the phone team's placements all go through
`capacity.reporting.reports_record`.

For each path: a typo of 59 -> 5900 places ends flagged with its reason (the grid asks first),
gets a history record and reaches the totals through the recompute; a stale version is
refused where the path carries one; a report after the contract end is refused with a message
naming the end date."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from capacity.choices import ReportSource
from capacity.models import CapacityReport
from capacity.selectors import flagged_reports, realised_places, snapshots_as_of
from imports.models import ImportRun, ImportStatus
from imports.service import import_file
from matching.services import placement_create
from tests.factories import UserFactory
from tests.problems import field_errors

from .factories import CapacityReportFactory, LocationFactory

EARLIER = datetime.date(2023, 3, 6)
DAY = datetime.date(2023, 3, 13)
CONTRACT_END = datetime.date(2023, 7, 31)
AFTER_END = datetime.date(2023, 8, 7)
REASON = "Capaciteit (5900) wijkt sterk af van de vorige melding (59 op 06-03-2023)."
ENDED = (
    "Het contract van CNO Enschede is op 31-07-2023 geëindigd; een melding voor 07-08-2023 "
    "telt niet mee. Verleng de einddatum van het contract op de locatiepagina als de locatie "
    "nog open is."
)
HEADER = "location,date,capacity,occupied\n"


@pytest.fixture
def enschede(project_leader):
    return project_leader.membership.municipality


@pytest.fixture
def location(enschede):
    location = LocationFactory(code="CNO-ENS-01", name="CNO Enschede", municipality=enschede)
    CapacityReportFactory(location=location, date=EARLIER, capacity=59, occupied=56)
    return location


@pytest.fixture
def ended(location):
    location.contract_end = CONTRACT_END
    location.save()
    return location


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("beheer", "b@example.org", "x" * 12)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a write enqueues after its commit (the recompute), as the worker would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def assert_flagged_with_history_and_recomputed(location, source):
    report = CapacityReport.objects.get(location=location, date=DAY)
    assert (report.capacity, report.flagged, report.source) == (5900, True, source)
    assert REASON in report.flag_reason
    record = report.history.first()
    assert (record.capacity, record.flagged) == (5900, True)
    assert REASON in record.flag_reason
    assert realised_places(on=DAY) == {("GM0153", "asylum"): 5900}  # the recompute ran
    assert report in flagged_reports(region_code="VR05")  # the coordinator's follow-up list


def csv_file(tmp_path, *rows):
    path = tmp_path / "meldingen.csv"
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


# The weekly grid ------------------------------------------------------------------------------


def grid_post(client, location, capacity, occupied, *, day=DAY, **extra):
    latest = (
        CapacityReport.objects.filter(location=location, date__lte=day).order_by("-date").first()
    )
    return client.post(
        reverse("capacity:weekly-counts"),
        {
            "date": day.isoformat(),
            f"{location.code}__capacity": capacity,
            f"{location.code}__occupied": occupied,
            f"{location.code}__reserved": 0,
            f"{location.code}__seen": f"{latest.pk}.{latest.version}" if latest else "",
            **extra,
        },
    )


def test_the_grid_asks_first_then_saves_flagged(client, project_leader, location, on_commit):
    client.force_login(project_leader)
    response = grid_post(client, location, 5900, 56)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Capaciteit CNO Enschede: eerder 59, nu 5900. Klopt dit?" in page
    assert "Er is nog niets opgeslagen." in page
    assert not CapacityReport.objects.filter(date=DAY).exists()
    # Nothing typed is lost: the field still holds 5900.
    assert response.context["form"][f"{location.code}__capacity"].value() == "5900"
    token = response.context["form"].confirm_token()
    assert f'value="{token}"' in page

    with on_commit():
        response = grid_post(client, location, 5900, 56, confirm=token)
    assert response.status_code == 302
    assert_flagged_with_history_and_recomputed(location, ReportSource.FORM)


def test_the_grid_asks_again_when_the_figures_changed_after_the_question(
    client, project_leader, location
):
    client.force_login(project_leader)
    token = grid_post(client, location, 5900, 56).context["form"].confirm_token()
    response = grid_post(client, location, 590, 56, confirm=token)
    assert response.status_code == 200
    assert "eerder 59, nu 590. Klopt dit?" in response.content.decode()
    assert not CapacityReport.objects.filter(date=DAY).exists()


def test_a_plausible_grid_saves_without_asking(client, project_leader, location):
    client.force_login(project_leader)
    assert grid_post(client, location, 60, 55).status_code == 302
    assert CapacityReport.objects.get(date=DAY).flagged is False


def test_the_grid_refuses_a_stale_version(client, project_leader, location):
    client.force_login(project_leader)
    stale = f"{location.reports.get().pk}.1"
    CapacityReportFactory(location=location, date=EARLIER + datetime.timedelta(days=1))
    response = grid_post(client, location, 60, 55, **{f"{location.code}__seen": stale})
    assert response.status_code == 200
    assert "Iemand anders heeft intussen de cijfers van CNO Enschede gewijzigd" in (
        response.content.decode()
    )
    assert not CapacityReport.objects.filter(date=DAY).exists()


def test_the_grid_counts_nothing_after_the_contract_end(client, project_leader, ended):
    client.force_login(project_leader)
    response = grid_post(client, ended, 59, 56, day=AFTER_END)
    assert not CapacityReport.objects.filter(date=AFTER_END).exists()
    # The lifecycle rule (also issue 14) leaves an ended location out of the grid; where the
    # grid still offers its row, the refusal says why and how to extend the contract.
    if response.status_code == 200 and ended.code in [
        row["location"].code for row in response.context["grid"]
    ]:
        assert ENDED in response.content.decode()


# The API ------------------------------------------------------------------------------------


def test_the_api_post_saves_flagged_with_the_reason(
    api_client, project_leader, location, on_commit
):
    api_client.force_authenticate(project_leader)
    body = {"location": location.code, "date": DAY.isoformat(), "capacity": 5900, "occupied": 56}
    with on_commit():
        response = api_client.post("/api/v1/capacity-reports", body, format="json")
    assert response.status_code == 201
    assert response.json()["flagged"] is True
    assert REASON in response.json()["flag_reason"]
    assert_flagged_with_history_and_recomputed(location, ReportSource.API)


@pytest.mark.parametrize("method", ["put", "patch"])
def test_the_api_put_and_patch_save_flagged_and_refuse_a_stale_version(
    api_client, project_leader, location, on_commit, method
):
    report = CapacityReportFactory(location=location, date=DAY, capacity=59, occupied=56)
    api_client.force_authenticate(project_leader)
    url = f"/api/v1/capacity-reports/{report.pk}"
    send = getattr(api_client, method)
    with on_commit():
        response = send(url, {"capacity": 5900, "occupied": 56, "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["flagged"], response.json()["version"]) == (True, 2)
    assert_flagged_with_history_and_recomputed(location, ReportSource.API)
    stale = send(url, {"capacity": 60, "occupied": 56, "version": 1}, format="json")
    assert stale.status_code == 409
    assert CapacityReport.objects.get(pk=report.pk).capacity == 5900


def test_the_api_refuses_a_report_after_the_contract_end_naming_the_date(
    api_client, project_leader, ended
):
    api_client.force_authenticate(project_leader)
    body = {"location": ended.code, "date": AFTER_END.isoformat(), "capacity": 59, "occupied": 5}
    response = api_client.post("/api/v1/capacity-reports", body, format="json")
    assert response.status_code == 400
    assert field_errors(response)["date"] == [ENDED]
    existing = CapacityReportFactory(location=ended, date=AFTER_END)  # from before the end
    response = api_client.patch(
        f"/api/v1/capacity-reports/{existing.pk}", {"occupied": 5, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert field_errors(response)["date"] == [ENDED]


# Imports --------------------------------------------------------------------------------------


def test_an_import_saves_flagged_and_says_so(tmp_path, location, on_commit):
    path = csv_file(tmp_path, f"CNO-ENS-01,{DAY},5900,56")
    with on_commit():
        result = import_file(kind="capacity-reports", path=path, user=None, dry_run=False)
    assert result.errors == []
    assert result.run.preview["flagged"] == [{"row": 2, "reason": REASON}]
    assert_flagged_with_history_and_recomputed(location, ReportSource.IMPORT)
    assert ImportRun.objects.get().status == ImportStatus.RECOMPUTED


def test_an_import_refuses_a_row_after_the_contract_end_with_its_row_number(tmp_path, ended):
    path = csv_file(tmp_path, f"CNO-ENS-01,{DAY},59,50", f"CNO-ENS-01,{AFTER_END},59,50")
    result = import_file(kind="capacity-reports", path=path, user=None, dry_run=True)
    assert [str(error) for error in result.errors] == [f"rij 3, kolom date: {ENDED}"]
    assert not CapacityReport.objects.filter(date__gte=DAY).exists()


def test_the_import_command_flags_and_refuses_like_the_page(tmp_path, location, on_commit):
    out = io.StringIO()
    with on_commit():
        call_command(
            "import_data",
            "capacity-reports",
            str(csv_file(tmp_path, f"CNO-ENS-01,{DAY},5900,56")),
            stdout=out,
        )
    assert f"rij 2: {REASON}" in out.getvalue()
    assert_flagged_with_history_and_recomputed(location, ReportSource.IMPORT)

    location.contract_end = CONTRACT_END
    location.save()
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_data",
            "capacity-reports",
            str(csv_file(tmp_path, f"CNO-ENS-01,{AFTER_END},59,56")),
            stderr=errors,
        )
    assert f"rij 2, kolom date: {ENDED}" in errors.getvalue()


def test_the_upload_page_flags_and_shows_which_rows(
    client, settings, tmp_path, location, on_commit
):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    client.force_login(UserFactory(username="coord-x", role="coordinator"))
    content = (HEADER + f"CNO-ENS-01,{DAY},5900,56\n").encode()
    client.post(
        reverse("imports:list"),
        {"kind": "capacity-reports", "file": SimpleUploadedFile("m.csv", content)},
    )
    run = ImportRun.objects.get()
    preview = client.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "1 regel heeft opvallende cijfers" in preview and REASON in preview
    assert not CapacityReport.objects.filter(date=DAY).exists()
    with on_commit():
        response = client.post(reverse("imports:confirm", args=[run.pk]), follow=True)
    assert "1 regel is ter controle gemarkeerd" in response.content.decode()
    assert_flagged_with_history_and_recomputed(location, ReportSource.IMPORT)


# The admin's forms ----------------------------------------------------------------------------


def admin_change(client, report, **data):
    return client.post(
        reverse("admin:capacity_capacityreport_change", args=[report.pk]),
        {"capacity": 5900, "occupied": 56, "reserved": 0, "seen_version": 1, **data},
    )


def test_the_admin_change_form_saves_flagged_and_refuses_a_stale_version(
    client, admin_user, location, on_commit
):
    report = CapacityReportFactory(location=location, date=DAY, capacity=59, occupied=56)
    client.force_login(admin_user)
    with on_commit():
        response = admin_change(client, report)
    assert response.status_code == 302
    assert_flagged_with_history_and_recomputed(location, ReportSource.ADMIN)
    assert CapacityReport.objects.get(pk=report.pk).version == 2
    response = admin_change(client, report, capacity=60)
    assert response.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in response.content.decode()
    assert CapacityReport.objects.get(pk=report.pk).capacity == 5900


def test_the_admin_add_form_saves_flagged_and_refuses_after_the_contract_end(
    client, admin_user, location, on_commit
):
    client.force_login(admin_user)
    url = reverse("admin:capacity_capacityreport_add")
    data = {"location": location.pk, "capacity": 5900, "occupied": 56, "reserved": 0}
    with on_commit():
        response = client.post(url, {**data, "date": DAY.isoformat()})
    assert response.status_code == 302
    assert_flagged_with_history_and_recomputed(location, ReportSource.ADMIN)

    location.contract_end = CONTRACT_END
    location.save()
    response = client.post(url, {**data, "capacity": 59, "date": AFTER_END.isoformat()})
    assert response.status_code == 200
    assert ENDED in response.content.decode()
    assert not CapacityReport.objects.filter(date=AFTER_END).exists()


def test_the_admin_marks_flagged_reports_checked(client, admin_user, location):
    report = CapacityReportFactory(location=location, date=DAY, flagged=True, flag_reason="x")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:capacity_capacityreport_changelist"),
        {"action": "mark_checked", "_selected_action": [report.pk]},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.flagged, report.version) == (False, 2)


# Placements -----------------------------------------------------------------------------------


def test_a_placement_goes_through_the_same_checks(coordinator, enschede, on_commit):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    small = LocationFactory(code="CNO-ENS-02", name="CNO Klein", municipality=enschede)
    CapacityReportFactory(location=small, date=yesterday, capacity=100, occupied=10)
    with on_commit():
        placement = placement_create(
            location=small, people=30, target_group="asylum", user=coordinator
        )
    report = CapacityReport.objects.get(pk=placement.report.pk)
    assert (report.occupied, report.source, report.flagged) == (40, ReportSource.PLACEMENT, True)
    assert report.flag_reason == (
        f"Bezet (40) wijkt sterk af van de vorige melding (10 op {yesterday:%d-%m-%Y})."
    )
    assert report.history.get().occupied == 40
    # The recompute ran: today's totals carry the placement.
    [snapshot] = snapshots_as_of(on=today, region_code="VR05").filter(target_group="asylum")
    assert (snapshot.capacity, snapshot.occupied) == (100, 40)
