"""The `permit-holders` import file (`municipality,date,housed,linked[,housed_amv]`): the rules
of the other imports, through the command, the upload page's service and the upload page
the admin links to."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from capacity.models import PermitHolderReport
from imports.models import ImportRun, ImportStatus
from imports.service import import_file
from tests.capacity.permit_holder_factories import PermitHolderReportFactory
from tests.factories import MunicipalityFactory, SafetyRegionFactory, UserFactory

from .files import write_csv, write_xlsx

HEADER = ["municipality", "date", "housed", "linked"]


def _errors(capsys) -> list[str]:
    return capsys.readouterr().err.splitlines()


def test_it_imports_reports_with_and_without_amv(tmp_path, enschede, hengelo, capsys):
    path = write_csv(
        tmp_path,
        "tvs.csv",
        [
            [*HEADER, "housed_amv"],
            ["gm0153", "31-01-2023", 12, 30, 2],
            ["GM0164", "2023-01-31", 5, 0, ""],
        ],
        delimiter=";",
        bom=True,
    )
    call_command("import_data", "permit-holders", str(path))
    assert "2 nieuw, 0 gewijzigd, 0 ongewijzigd" in capsys.readouterr().out
    rows = PermitHolderReport.objects.order_by("municipality__code").values_list(
        "municipality__code", "date", "housed", "housed_amv", "linked", "source"
    )
    assert list(rows) == [
        ("GM0153", datetime.date(2023, 1, 31), 12, 2, 30, "import"),
        ("GM0164", datetime.date(2023, 1, 31), 5, 0, 0, "import"),
    ]
    assert PermitHolderReport.history.filter(history_type="+").count() == 2


def test_an_xlsx_export_imports_the_same(tmp_path, enschede):
    path = write_xlsx(
        tmp_path, "tvs.xlsx", [HEADER, ["GM0153", datetime.datetime(2023, 2, 28), 7, 3]]
    )
    result = import_file(kind="permit-holders", path=path, user=None, dry_run=False)
    assert result.run.status == ImportStatus.IMPORTED
    assert PermitHolderReport.objects.get().date == datetime.date(2023, 2, 28)


def test_a_changed_figure_updates_the_report_and_the_rest_stays(tmp_path, enschede):
    PermitHolderReportFactory(municipality=enschede, date=datetime.date(2023, 1, 31), housed=12)
    PermitHolderReportFactory(
        municipality=enschede, date=datetime.date(2023, 2, 28), housed=7, linked=3
    )
    path = write_csv(
        tmp_path,
        "a.csv",
        [HEADER, ["GM0153", "2023-01-31", 12, 5], ["GM0153", "2023-02-28", 8, 3]],
    )
    result = import_file(kind="permit-holders", path=path, user=None, dry_run=False)
    run = result.run
    assert (run.created_count, run.updated_count, run.unchanged_count) == (0, 1, 1)
    assert run.preview["updated"][0]["was"] == "gehuisvest 7 (waarvan amv 0), gekoppeld 3"
    february = PermitHolderReport.objects.get(date=datetime.date(2023, 2, 28))
    assert (february.housed, february.version) == (8, 2)
    # The recompute starts at the first changed date, for the municipality it changed.
    assert (run.recompute_municipality_ids, run.recompute_from) == (
        [enschede.pk],
        datetime.date(2023, 2, 28),
    )


def test_a_dry_run_saves_nothing(tmp_path, enschede, capsys):
    path = write_csv(tmp_path, "a.csv", [HEADER, ["GM0153", "2023-01-31", 12, 5]])
    call_command("import_data", "permit-holders", str(path), "--dry-run")
    assert "Controle zonder fouten (1 nieuw" in capsys.readouterr().out
    assert not PermitHolderReport.objects.exists()


def test_every_bad_row_is_named_and_nothing_is_imported(tmp_path, enschede, capsys):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    path = write_csv(
        tmp_path,
        "fout.csv",
        [
            [*HEADER, "housed_amv"],
            ["GM0153", "2023-01-31", 12, 5, 0],
            ["", "2023-01-31", 1, 1, 0],
            ["GM0153", "31-02-2023", 1, 1, 0],
            ["GM0153", "2023-03-31", "drie", 1, 0],
            ["GM0153", "2023-04-30", 2, 1, 3],
            ["GM0153", tomorrow, 1, 1, 0],
            ["GM0153", "2023-01-31", 4, 1, 0],
            ["GM0153", "2023-05-31", "1,5", "", 0],
        ],
    )
    with pytest.raises(CommandError, match="8 fout\\(en\\)"):
        call_command("import_data", "permit-holders", str(path))
    assert _errors(capsys) == [
        "rij 3, kolom municipality: Vul de gemeente in (CBS-code, bijv. GM0153).",
        "rij 4, kolom date: De datum 31-02-2023 bestaat niet.",
        "rij 5, kolom housed: drie is geen getal.",
        "rij 6, kolom housed_amv: Waarvan amv (3) kan niet hoger zijn dan het aantal "
        "gehuisveste statushouders (2).",
        "rij 7, kolom date: Een datum in de toekomst kan niet.",
        "rij 8, kolom municipality: Dubbele regel: Enschede op 31-01-2023 staat ook in rij 2.",
        "rij 9, kolom housed: 1,5 is geen heel getal (schrijf een aantal zonder punt of komma).",
        "rij 9, kolom linked: Vul een aantal in.",
    ]
    assert not PermitHolderReport.objects.exists()
    assert ImportRun.objects.get().status == ImportStatus.FAILED


def test_a_missing_column_is_named(tmp_path, enschede, capsys):
    path = write_csv(tmp_path, "a.csv", [["municipality", "date", "housed"], ["GM0153", "", 1]])
    with pytest.raises(CommandError):
        call_command("import_data", "permit-holders", str(path))
    assert _errors(capsys) == ["rij 1, kolom linked: Deze kolom ontbreekt."]


def test_a_project_leader_imports_only_their_own_municipalitys_rows(
    tmp_path, enschede, hengelo, capsys
):
    UserFactory(username="pl", role="project_leader", scope__municipality=enschede)
    path = write_csv(
        tmp_path, "a.csv", [HEADER, ["GM0153", "2023-01-31", 1, 1], ["GM0164", "2023-01-31", 1, 1]]
    )
    with pytest.raises(CommandError, match="1 fout"):
        call_command("import_data", "permit-holders", str(path), "--user", "pl")
    assert _errors(capsys) == [
        "rij 3, kolom municipality: Gemeente Hengelo is niet uw gemeente; u mag alleen regels "
        "van Enschede importeren."
    ]
    assert not PermitHolderReport.objects.exists()


def test_a_coordinator_imports_only_their_regions_rows(tmp_path, enschede, capsys):
    elsewhere = SafetyRegionFactory(code="VR04", name="IJsselland")
    MunicipalityFactory(code="GM0150", name="Deventer", safety_region=elsewhere)
    UserFactory(username="coord", role="coordinator", scope__region=enschede.safety_region)
    path = write_csv(tmp_path, "a.csv", [HEADER, ["GM0150", "2023-01-31", 1, 1]])
    with pytest.raises(CommandError):
        call_command("import_data", "permit-holders", str(path), "--user", "coord")
    assert _errors(capsys) == [
        "rij 2, kolom municipality: Gemeente Deventer hoort niet bij uw regio (Twente)."
    ]


def test_the_admin_imports_through_the_upload_page_with_the_same_rules_and_history(
    client, enschede, django_capture_on_commit_callbacks
):
    admin = UserFactory(username="beheer", is_superuser=True, is_staff=True)
    client.force_login(admin)
    text = "municipality;date;housed;linked\nGM0153;2023-01-31;12;5\nGM0153;2023-02-28;3;-1\n"

    def upload(content: str):
        file = SimpleUploadedFile("a.csv", content.encode(), content_type="text/csv")
        client.post(reverse("imports:list"), {"kind": "permit-holders", "file": file})
        return ImportRun.objects.latest("pk")

    bad = upload(text)
    assert bad.status == ImportStatus.FAILED
    assert bad.errors[0]["row"] == 3
    assert not PermitHolderReport.objects.exists()
    good = upload(text.rsplit("GM0153;2023-02-28", 1)[0])
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("imports:confirm", args=[good.pk]))
    good.refresh_from_db()
    assert good.created_count == 1
    assert len(callbacks) == 1  # one recompute for the file
    record = PermitHolderReport.history.get()
    assert record.history_user == admin
    assert record.history_change_reason.startswith("Import a.csv (sha256 ")
