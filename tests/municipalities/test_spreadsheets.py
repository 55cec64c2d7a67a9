"""The one CSV/XLSX writer: CSV as Dutch Excel reads it, XLSX with a named sheet and real
dates and numbers (the exports' own tests cover each download)."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import tablib

from municipalities.spreadsheets import csv_content, spreadsheet_response, xlsx_content


def _table(title="Acties") -> tablib.Dataset:
    table = tablib.Dataset(headers=["Naam", "Datum", "Moment", "Graad", "Aantal"], title=title)
    table.append(
        [
            "Enschede",
            datetime.date(2024, 1, 31),
            datetime.datetime(2024, 1, 31, 8, 30, tzinfo=datetime.UTC),
            Decimal("93.5"),
            None,
        ]
    )
    return table


def test_csv_is_semicolon_separated_with_a_bom_decimal_commas_and_dutch_dates():
    text = csv_content(_table())
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    # 08:30 UTC is 09:30 in the Netherlands in winter (TIME_ZONE Europe/Amsterdam).
    assert rows == [
        ["Naam", "Datum", "Moment", "Graad", "Aantal"],
        ["Enschede", "31-01-2024", "31-01-2024 09:30", "93,5", ""],
    ]


def test_xlsx_names_its_sheet_and_keeps_dates_and_numbers():
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_content(_table()))).active
    assert sheet.title == "Acties"
    assert [cell.value for cell in sheet[1]] == ["Naam", "Datum", "Moment", "Graad", "Aantal"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    day, moment = sheet["B2"], sheet["C2"]
    assert (day.is_date, day.number_format, day.value) == (
        True,
        "DD-MM-YYYY",
        datetime.datetime(2024, 1, 31),
    )
    assert (moment.is_date, moment.number_format) == (True, "DD-MM-YYYY HH:MM")
    assert moment.value == datetime.datetime(2024, 1, 31, 9, 30)
    assert sheet["D2"].value == 93.5 and sheet["E2"].value is None


def test_a_sheet_name_is_cut_to_what_excel_accepts():
    title = "Besluiten/acties [PRT]: een heel lange naam"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_content(_table(title)))).active
    assert sheet.title == "Besluiten-acties -PRT-- een hee"


def test_a_table_without_a_title_is_refused():
    with pytest.raises(ValueError, match="title"):
        xlsx_content(_table(title=None))


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_the_response_is_a_named_download(fmt, content_type):
    response = spreadsheet_response(_table(), fmt=fmt, filename="Acties PRT 2024")
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="acties-prt-2024.{fmt}"'
