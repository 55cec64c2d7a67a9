"""Every reason a row is refused, with its row number, column and Dutch message."""

import datetime

import pytest
from django.utils import timezone

from capacity.models import CapacityReport, Location
from imports.models import ImportStatus
from imports.service import import_file
from municipalities.models import KeyFigure, Municipality
from tests.capacity.factories import CapacityReportFactory

from .files import write_csv

REPORT_HEADER = ["location", "date", "capacity", "occupied"]


def errors_of(tmp_path, kind, rows, user=None):
    path = write_csv(tmp_path, "bestand.csv", rows)
    result = import_file(kind=kind, path=path, user=user, dry_run=False)
    assert result.run.status == ImportStatus.FAILED
    return [str(error) for error in result.errors]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["NOPE-9", "2023-01-02", 60, 50], "rij 3, kolom location: Onbekende locatie NOPE-9."),
        (["ENS-1", "30-02-2023", 60, 50], "rij 3, kolom date: De datum 30-02-2023 bestaat niet."),
        (["ENS-1", "gisteren", 60, 50], "rij 3, kolom date: gisteren is geen datum"),
        (
            ["ENS-1", "2023-01-02", 60, 65],
            "rij 3, kolom occupied: Bezet (65) kan niet hoger zijn dan de capaciteit (60).",
        ),
        (
            ["ENS-1", "2023-01-02", -5, 0],
            "rij 3, kolom capacity: Een aantal kan niet negatief zijn.",
        ),
        (["ENS-1", "2023-01-02", 60, "-1"], "rij 3, kolom occupied: Een aantal kan niet negatief"),
        (["ENS-1", "2023-01-02", "6,5", 5], "rij 3, kolom capacity: 6,5 is geen heel getal"),
        (["ENS-1", "2023-01-02", "veel", 5], "rij 3, kolom capacity: veel is geen getal."),
        (["ENS-1", "2023-01-02", 60, ""], "rij 3, kolom occupied: Vul een aantal in."),
        (["", "2023-01-02", 60, 5], "rij 3, kolom location: Vul de locatiecode in."),
    ],
)
def test_it_refuses_a_bad_capacity_report_row(tmp_path, locations, row, expected):
    errors = errors_of(
        tmp_path, "capacity-reports", [REPORT_HEADER, ["ENS-2", "2023-01-02", 40, 30], row]
    )
    assert len(errors) == 1
    assert errors[0].startswith(expected)


def test_it_refuses_a_report_dated_in_the_future(tmp_path, locations):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    errors = errors_of(
        tmp_path, "capacity-reports", [REPORT_HEADER, ["ENS-1", tomorrow.isoformat(), 60, 50]]
    )
    assert errors == ["rij 2, kolom date: Een datum in de toekomst kan niet."]


def test_it_refuses_reserved_places_beyond_the_free_places(tmp_path, locations):
    errors = errors_of(
        tmp_path,
        "capacity-reports",
        [REPORT_HEADER + ["reserved"], ["ENS-1", "2023-01-02", 60, 50, 11]],
    )
    assert errors == [
        "rij 2, kolom reserved: Bezet (50) en gereserveerd (11) samen kunnen niet hoger zijn "
        "dan de capaciteit (60)."
    ]


def test_it_names_the_earlier_row_of_a_duplicate_report(tmp_path, locations):
    errors = errors_of(
        tmp_path,
        "capacity-reports",
        [
            REPORT_HEADER,
            ["ENS-1", "2023-01-02", 60, 50],
            ["ENS-2", "2023-01-02", 40, 30],
            ["ENS-1", "02-01-2023", 60, 50],
        ],
    )
    assert errors == [
        "rij 4, kolom location: Dubbele regel: ENS-1 op 02-01-2023 staat ook in rij 2."
    ]


def test_it_lists_every_bad_row_and_every_bad_column(tmp_path, locations):
    errors = errors_of(
        tmp_path,
        "capacity-reports",
        [
            REPORT_HEADER,
            ["ENS-1", "2023-01-02", 60, 50],
            ["XXX", "2023-13-01", "-1", "zes"],
            ["ENS-2", "2023-01-02", 40, 30],
            ["HGL-1", "2023-01-02", 10, 11],
        ],
    )
    assert [error.split(":")[0] for error in errors] == [
        "rij 3, kolom location",
        "rij 3, kolom date",
        "rij 3, kolom capacity",
        "rij 3, kolom occupied",
        "rij 5, kolom occupied",
    ]


def test_it_reports_missing_columns_on_the_header_row(tmp_path, locations):
    errors = errors_of(tmp_path, "capacity-reports", [["location", "date", "capacity"], ["ENS-1"]])
    assert errors == ["rij 1, kolom occupied: Deze kolom ontbreekt."]


def test_it_refuses_an_unknown_municipality_in_a_locations_file(tmp_path, enschede):
    errors = errors_of(
        tmp_path,
        "locations",
        [
            [
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
            ],
            ["NEW-1", "Nieuw", "GM9999", "Ergens", "cno", "asylum", "operational", "", "", "", ""],
        ],
    )
    assert errors == ["rij 2, kolom municipality: Onbekende gemeente GM9999."]


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
]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ["N-1", "Nieuw", "GM0153", "Enschede", "tent", "asylum", "operational", "", "", "", ""],
            "rij 2, kolom type: Onbekende waarde 'tent'; kies uit: azc",
        ),
        (
            ["N-1", "Nieuw", "GM0153", "Enschede", "cno", "asylum", "closed", "", "", "", ""],
            "rij 2, kolom contract_end: Vul bij een gesloten locatie de einddatum in",
        ),
        (
            [
                "N-1",
                "Nieuw",
                "GM0153",
                "Enschede",
                "cno",
                "asylum",
                "operational",
                "2023-06-01",
                "2023-01-01",
                "",
                "",
            ],
            "rij 2, kolom contract_end: De einddatum kan niet voor de openingsdatum liggen.",
        ),
        (
            ["N 1", "Nieuw", "GM0153", "Enschede", "cno", "asylum", "operational", "", "", "", ""],
            "rij 2, kolom code: Een code bestaat uit letters",
        ),
        (
            [
                "N-1",
                "Nieuw",
                "GM0153",
                "Enschede",
                "cno",
                "asylum",
                "operational",
                "",
                "",
                "52.1",
                "",
            ],
            "rij 2, kolom longitude: Vul zowel de breedtegraad als de lengtegraad in",
        ),
    ],
)
def test_it_applies_the_location_rules_of_the_model(tmp_path, enschede, row, expected):
    errors = errors_of(tmp_path, "locations", [LOCATION_HEADER, row])
    assert len(errors) == 1
    assert errors[0].startswith(expected)


def test_it_names_the_earlier_row_of_a_duplicate_location(tmp_path, enschede):
    row = ["N-1", "Nieuw", "GM0153", "Enschede", "cno", "asylum", "operational", "", "", "", ""]
    errors = errors_of(tmp_path, "locations", [LOCATION_HEADER, row, row])
    assert errors == ["rij 3, kolom code: Dubbele regel: locatie N-1 staat ook in rij 2."]
    assert not Location.objects.filter(code="N-1").exists()


def test_it_refuses_bad_population_rows(tmp_path, enschede):
    errors = errors_of(
        tmp_path,
        "population",
        [
            ["municipality", "date", "inhabitants"],
            ["GM0153", "2023-01-01", "161000"],
            ["GM0153", "01-01-2023", "161500"],
            ["GM7777", "2023-01-01", "1000"],
            ["GM0153", "2024-01-01", "-4"],
        ],
    )
    assert errors == [
        "rij 3, kolom municipality: Dubbele regel: Enschede op 01-01-2023 staat ook in rij 2.",
        "rij 4, kolom municipality: Onbekende gemeente GM7777.",
        "rij 5, kolom inhabitants: Een aantal inwoners kan niet negatief zijn.",
    ]
    assert not KeyFigure.objects.exists()


def test_it_refuses_bad_municipality_rows(tmp_path, enschede):
    errors = errors_of(
        tmp_path,
        "municipalities",
        [
            ["code", "name", "safety_region"],
            ["GM0150", "Deventer", "VR99"],
            ["XX12", "Nergens", "VR05"],
            ["GM0153", "Enschede", "VR05"],
            ["GM0153", "Enschede", "VR05"],
        ],
    )
    assert errors == [
        "rij 2, kolom safety_region: Onbekende veiligheidsregio VR99.",
        "rij 3, kolom code: Een CBS-code is GM gevolgd door vier cijfers.",
        "rij 5, kolom code: Dubbele regel: gemeente GM0153 staat ook in rij 4.",
    ]
    assert Municipality.objects.count() == 1


def test_an_existing_report_with_a_bad_new_figure_keeps_its_figures(tmp_path, locations):
    report = CapacityReportFactory(location=locations["ENS-1"], date=datetime.date(2023, 1, 2))
    errors_of(tmp_path, "capacity-reports", [REPORT_HEADER, ["ENS-1", "2023-01-02", 10, 20]])
    report.refresh_from_db()
    assert (report.capacity, report.occupied) == (60, 50)
    assert CapacityReport.history.count() == 1  # the factory's own save
