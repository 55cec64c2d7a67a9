"""Importing through the service the page and the command share: all or nothing, idempotent,
audited, scoped."""

import datetime

import pytest

from capacity.choices import ReportSource
from capacity.models import CapacityReport, Location
from imports.models import ImportRun, ImportStatus
from imports.service import import_file
from imports.spec import ImportNotAllowed
from municipalities.models import KeyFigure, Municipality
from tests.capacity.factories import CapacityReportFactory, LocationFactory
from tests.factories import MunicipalityFactory, SafetyRegionFactory, UserFactory

from .files import write_csv, write_xlsx

HEADER = ["location", "date", "capacity", "occupied"]


def run(path, user=None, kind="capacity-reports", dry_run=False):
    return import_file(kind=kind, path=path, user=user, dry_run=dry_run)


def test_it_imports_every_row_of_a_valid_file(reports_csv, locations):
    result = run(reports_csv)
    assert result.errors == []
    assert result.run.status == ImportStatus.IMPORTED
    assert result.run.recompute_pending
    assert (result.run.created_count, result.run.updated_count) == (4, 0)
    report = CapacityReport.objects.get(location__code="ENS-2", date=datetime.date(2023, 1, 2))
    assert (report.capacity, report.occupied, report.reserved) == (40, 40, 0)
    assert report.source == ReportSource.IMPORT


def test_a_file_with_one_bad_row_imports_nothing(tmp_path, locations):
    path = write_csv(
        tmp_path,
        "a.csv",
        [HEADER]
        + [["ENS-1", f"2023-01-{day:02d}", 60, 50] for day in range(1, 20)]
        + [["ENS-2", "2023-01-02", 40, 41]],
    )
    result = run(path)
    assert result.run.status == ImportStatus.FAILED
    assert [str(error) for error in result.errors] == [
        "rij 21, kolom occupied: Bezet (41) kan niet hoger zijn dan de capaciteit (40)."
    ]
    assert not CapacityReport.objects.exists()
    assert not CapacityReport.history.exists()


def test_importing_the_same_file_twice_changes_nothing(reports_csv, locations):
    run(reports_csv)
    before = list(CapacityReport.objects.order_by("pk").values())
    history = CapacityReport.history.count()
    second = run(reports_csv)
    assert (second.run.created_count, second.run.updated_count, second.run.unchanged_count) == (
        0,
        0,
        4,
    )
    assert list(CapacityReport.objects.order_by("pk").values()) == before
    assert CapacityReport.history.count() == history
    assert not second.run.needs_recompute


def test_a_changed_figure_updates_the_report_of_that_location_and_date(tmp_path, locations):
    existing = CapacityReportFactory(
        location=locations["ENS-1"], date=datetime.date(2023, 1, 2), capacity=60, occupied=50
    )
    user = UserFactory(username="coord-a", role="coordinator")
    path = write_csv(tmp_path, "week1.csv", [HEADER, ["ENS-1", "2-1-2023", 60, 57]])
    result = run(path, user=user)
    assert (result.run.created_count, result.run.updated_count) == (0, 1)
    existing.refresh_from_db()
    assert (existing.occupied, existing.source, existing.reported_by) == (
        57,
        ReportSource.IMPORT,
        user,
    )
    assert CapacityReport.objects.count() == 1
    change = existing.history.first()
    assert change.history_type == "~"
    assert change.history_user == user
    assert change.history_change_reason.startswith(
        f"Import week1.csv (sha256 {result.run.sha256[:12]}"
    )
    assert change.history_change_reason.endswith("door coord-a")


def test_every_created_row_gets_a_history_record_naming_user_and_file(reports_csv, locations):
    user = UserFactory(username="coord-b", role="coordinator")
    run(reports_csv, user=user)
    records = CapacityReport.history.all()
    assert records.count() == 4
    assert {(r.history_type, r.history_user_id) for r in records} == {("+", user.pk)}
    assert all("meldingen.csv" in r.history_change_reason for r in records)
    # The records hold the rows as written (on PostgreSQL one COPY and one statement write both).
    fields = ("id", "location_id", "date", "capacity", "occupied", "reserved", "source", "version")
    assert set(records.values_list(*fields)) == set(CapacityReport.objects.values_list(*fields))
    assert {r.reported_by_id for r in CapacityReport.objects.all()} == {user.pk}


def test_a_dry_run_writes_nothing_but_says_what_it_would_do(reports_csv, locations):
    result = run(reports_csv, dry_run=True)
    assert result.run.status == ImportStatus.VALIDATED
    assert result.run.dry_run
    assert result.run.created_count == 4
    assert result.run.preview["created"][0] == {
        "row": 2,
        "subject": "ENS-1, 02-01-2023",
        "values": "capaciteit 60, bezet 50, gereserveerd 0",
        "was": "",
    }
    assert not CapacityReport.objects.exists()


def test_it_imports_xlsx_with_date_cells_and_spreadsheet_numbers(tmp_path, locations):
    path = write_xlsx(
        tmp_path,
        "meldingen.xlsx",
        [
            ("Location", "Date", "Capacity", "Occupied", "Reserved"),
            ("ENS-1", datetime.datetime(2023, 1, 2), 60.0, 50, 2),
            ("ENS-2", "09-01-2023", 40, 39.0, None),
            (None, None, None, None, None),
            ("HGL-1", "2023-01-09", "25", "20", ""),
        ],
    )
    result = run(path)
    assert result.errors == []
    assert result.run.created_count == 3
    assert CapacityReport.objects.get(location__code="ENS-1").reserved == 2


def test_an_xlsx_file_with_a_bad_row_imports_nothing(tmp_path, locations):
    path = write_xlsx(
        tmp_path,
        "meldingen.xlsx",
        [HEADER, ("ENS-1", datetime.datetime(2023, 1, 2), 60, 50), ("ENS-2", "2023-01-02", 6.5, 1)],
    )
    result = run(path)
    assert [str(error) for error in result.errors] == [
        "rij 3, kolom capacity: 6.5 is geen heel getal."
    ]
    assert not CapacityReport.objects.exists()


def test_a_semicolon_file_with_extra_columns_imports_and_names_the_ignored_ones(
    tmp_path, locations
):
    path = write_csv(
        tmp_path,
        "a.csv",
        [
            ["location", "date", "capacity", "occupied", "opmerking"],
            ["ENS-1", "2023-01-02", 6, 5, "x"],
        ],
        delimiter=";",
        bom=True,
    )
    result = run(path)
    assert result.run.created_count == 1
    assert result.run.ignored_columns == ["opmerking"]


LOCATION_HEADER = [
    "code",
    "name",
    "municipality",
    "place",
    "type",
    "target_group",
    "status",
    "opened_on",
    "contract_end",
    "latitude",
    "longitude",
    "notes",
]


def test_it_creates_and_updates_locations_by_their_code(tmp_path, enschede, hengelo):
    existing = LocationFactory(code="CNO-ENS-01", name="Oud", municipality=enschede)
    path = write_csv(
        tmp_path,
        "locaties.csv",
        [
            LOCATION_HEADER,
            [
                "CNO-ENS-01",
                "CNO Enschede",
                "GM0153",
                "Enschede",
                "cno",
                "asylum",
                "operational",
                "",
                "31-07-2023",
                "52,2215",
                "6,8937",
                "toelichting",
            ],
            [
                "AZC-HGL",
                "AZC Hengelo",
                "GM0164",
                "Hengelo",
                "azc",
                "Asielzoekers",
                "preparing",
                "2023-03-01",
                "",
                "",
                "",
                "",
            ],
        ],
    )
    result = run(path, kind="locations")
    assert result.errors == []
    assert (result.run.created_count, result.run.updated_count) == (1, 1)
    existing.refresh_from_db()
    assert existing.name == "CNO Enschede"
    assert existing.contract_end == datetime.date(2023, 7, 31)
    assert str(existing.latitude) == "52.22150"
    assert existing.version == 2
    assert existing.history.first().history_change_reason.startswith("Import locaties.csv")
    created = Location.objects.get(code="AZC-HGL")
    assert (created.target_group, created.status) == ("asylum", "preparing")
    assert created.history.count() == 1
    # A new contract end changes past totals of Enschede: recomputed from the start.
    assert result.run.recompute_municipality_ids == [enschede.pk]
    assert result.run.recompute_from is None
    again = run(path, kind="locations")
    assert (again.run.unchanged_count, again.run.updated_count) == (2, 0)


def _location_row(code: str) -> list:
    return [code, code, "GM0153", "Enschede", "cno", "asylum", "operational", "", "", "", "", ""]


def test_a_locations_file_may_carry_the_facilities_as_ja_or_nee(tmp_path, enschede):
    header = [*LOCATION_HEADER, "accessible", "pets"]
    path = write_csv(
        tmp_path,
        "locaties.csv",
        [
            header,
            [*_location_row("ENS-A"), "ja", "nee"],
            [*_location_row("ENS-B"), "1", ""],
        ],
    )
    result = run(path, kind="locations")
    assert result.errors == []
    facilities = dict(Location.objects.values_list("code", "accessible"))
    assert facilities == {"ENS-A": True, "ENS-B": True}
    assert not Location.objects.filter(pets=True).exists()
    changed = write_csv(tmp_path, "b.csv", [header, [*_location_row("ENS-A"), "nee", "ja"]])
    again = run(changed, kind="locations")
    assert again.run.updated_count == 1
    assert again.run.preview["updated"][0]["was"] == "rolstoeltoegankelijk ja, huisdieren nee"


def test_a_facility_that_is_neither_ja_nor_nee_is_a_row_error(tmp_path, enschede):
    path = write_csv(
        tmp_path,
        "locaties.csv",
        [[*LOCATION_HEADER, "pets"], [*_location_row("ENS-A"), "misschien"]],
    )
    result = run(path, kind="locations")
    assert [str(error) for error in result.errors] == [
        "rij 2, kolom pets: misschien is geen ja of nee."
    ]
    assert not Location.objects.exists()


def test_it_imports_population_and_updates_a_changed_figure(tmp_path, enschede, hengelo):
    KeyFigure.objects.create(municipality=enschede, date=datetime.date(2023, 1, 1), population=1)
    path = write_csv(
        tmp_path,
        "inwoners.csv",
        [
            ["municipality", "date", "inhabitants"],
            ["GM0153", "01-01-2023", "160640"],
            ["GM0164", "2023-01-01", "81476"],
        ],
    )
    result = run(path, kind="population")
    assert (result.run.created_count, result.run.updated_count) == (1, 1)
    assert Municipality.objects.with_key_figures().get(code="GM0153").population == 160_640
    assert KeyFigure.history.filter(history_type="~").count() == 1
    assert not result.run.needs_recompute


def test_it_imports_municipalities_of_another_region_for_an_operator(tmp_path, db):
    SafetyRegionFactory(code="VR04", name="IJsselland")
    path = write_csv(
        tmp_path,
        "gemeenten.csv",
        [["code", "name", "safety_region"], ["gm0150", "Deventer", "vr04"]],
    )
    result = run(path, kind="municipalities")
    assert result.run.created_count == 1
    deventer = Municipality.objects.get(code="GM0150")
    assert deventer.safety_region.code == "VR04"
    assert deventer.history.count() == 1


# Scope -----------------------------------------------------------------------------------


def test_a_project_leader_imports_rows_of_their_own_municipality(reports_csv, locations, enschede):
    leader = UserFactory(role="project_leader", scope__municipality=enschede)
    path = reports_csv.with_name("eigen.csv")
    path.write_text(
        "location,date,capacity,occupied\nENS-1,2023-01-02,60,50\nENS-2,2023-01-02,40,30\n"
    )
    result = run(path, user=leader)
    assert result.run.created_count == 2
    assert result.run.municipality_id == enschede.pk


def test_a_project_leader_may_not_import_rows_of_another_municipality(reports_csv, enschede):
    leader = UserFactory(role="project_leader", scope__municipality=enschede)
    result = run(reports_csv, user=leader)
    assert [str(error) for error in result.errors] == [
        "rij 4, kolom location: Locatie HGL-1: Gemeente Hengelo is niet uw gemeente; u mag "
        "alleen regels van Enschede importeren."
    ]
    assert not CapacityReport.objects.exists()


def test_a_project_leader_may_not_move_a_location_into_their_municipality(
    tmp_path, enschede, hengelo
):
    LocationFactory(code="HGL-9", municipality=hengelo)
    leader = UserFactory(role="project_leader", scope__municipality=enschede)
    path = write_csv(
        tmp_path,
        "l.csv",
        [
            LOCATION_HEADER,
            [
                "HGL-9",
                "Naam",
                "GM0153",
                "Enschede",
                "cno",
                "asylum",
                "operational",
                "",
                "",
                "",
                "",
                "",
            ],
        ],
    )
    result = run(path, user=leader, kind="locations")
    assert [str(error) for error in result.errors] == [
        "rij 2, kolom code: Locatie HGL-9: Gemeente Hengelo is niet uw gemeente; u mag alleen "
        "regels van Enschede importeren."
    ]
    assert Location.objects.get(code="HGL-9").municipality == hengelo


def test_a_coordinator_may_not_import_rows_of_another_region(tmp_path, locations):
    other_region = SafetyRegionFactory(code="VR04", name="IJsselland")
    deventer = MunicipalityFactory(code="GM0150", name="Deventer", safety_region=other_region)
    LocationFactory(code="DEV-1", municipality=deventer)
    coordinator = UserFactory(role="coordinator")  # VR05, Twente
    path = write_csv(
        tmp_path,
        "a.csv",
        [HEADER, ["ENS-1", "2023-01-02", 60, 50], ["DEV-1", "2023-01-02", 60, 50]],
    )
    result = run(path, user=coordinator)
    assert [str(error) for error in result.errors] == [
        "rij 3, kolom location: Locatie DEV-1: Gemeente Deventer hoort niet bij uw regio (Twente)."
    ]
    assert not CapacityReport.objects.exists()


@pytest.mark.parametrize("role", ["secretary", "provincial_reader"])
def test_readers_and_secretaries_may_not_import(reports_csv, role):
    with pytest.raises(ImportNotAllowed):
        run(reports_csv, user=UserFactory(role=role))
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("kind", ["municipalities", "population"])
def test_project_leaders_may_not_import_reference_data(tmp_path, enschede, kind):
    leader = UserFactory(role="project_leader", scope__municipality=enschede)
    path = write_csv(tmp_path, "a.csv", [["code", "name", "safety_region"]])
    with pytest.raises(ImportNotAllowed):
        run(path, user=leader, kind=kind)


def test_an_unreadable_file_is_recorded_as_refused(tmp_path, locations):
    path = tmp_path / "a.csv"
    path.write_bytes(
        "location,date,capacity,occupied\nENS-1,2023-01-02,6,5\nÉ,x,1,1\n".encode("latin-1")
    )
    result = run(path)
    assert result.run.status == ImportStatus.FAILED
    assert [str(error) for error in result.errors] == [
        "bestand: Het CSV-bestand is niet in UTF-8 opgeslagen; kies in Excel 'CSV UTF-8'."
    ]
    assert not CapacityReport.objects.exists()


def test_validation_queries_do_not_grow_with_the_rows(
    tmp_path, locations, django_assert_max_num_queries
):
    rows = [HEADER] + [
        [code, (datetime.date(2022, 1, 3) + datetime.timedelta(weeks=week)).isoformat(), 60, 50]
        for code in locations
        for week in range(50)
    ]
    path = write_csv(tmp_path, "a.csv", rows)
    # savepoint, locations, then the report service's check (the file's locations, the
    # reports around its dates, the history before them: issue 14), the run, release: never
    # a query per row
    with django_assert_max_num_queries(7):
        result = run(path, dry_run=True)
    assert result.run.created_count == 150
