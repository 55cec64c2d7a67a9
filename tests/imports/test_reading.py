import datetime
import zipfile

import pytest

from imports.reading import UnreadableFile, check_file, open_rows, sniff_format

from .files import write_csv, write_xlsx


def rows_of(path, fmt):
    with open_rows(path, fmt) as (header, rows):
        return header, [(number, list(cells)) for number, cells in rows]


def test_it_reads_comma_separated_csv(tmp_path):
    path = write_csv(tmp_path, "a.csv", [["location", "date"], ["ENS-1", "2023-01-02"]])
    assert rows_of(path, "csv") == (["location", "date"], [(2, ["ENS-1", "2023-01-02"])])


def test_it_reads_semicolon_separated_csv_with_a_byte_order_mark(tmp_path):
    path = write_csv(
        tmp_path, "a.csv", [["location", "notes"], ["ENS-1", "a, b"]], delimiter=";", bom=True
    )
    header, rows = rows_of(path, "csv")
    assert header == ["location", "notes"]
    assert rows == [(2, ["ENS-1", "a, b"])]


def test_it_numbers_rows_as_a_spreadsheet_does_blank_lines_included(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("location,date\nA,1\n\nB,2\n", encoding="utf-8")
    _, rows = rows_of(path, "csv")
    assert [(number, cells) for number, cells in rows if cells] == [
        (2, ["A", "1"]),
        (4, ["B", "2"]),
    ]


def test_it_reads_xlsx_cells_with_their_types(tmp_path):
    path = write_xlsx(
        tmp_path,
        "a.xlsx",
        [("location", "date", "capacity"), ("ENS-1", datetime.datetime(2023, 1, 2), 60.0)],
    )
    header, rows = rows_of(path, "xlsx")
    assert header == ["location", "date", "capacity"]
    assert rows == [(2, ["ENS-1", datetime.datetime(2023, 1, 2), 60])]


@pytest.mark.parametrize(
    ("name", "head", "fmt"),
    [("a.csv", b"location,date\n", "csv"), ("A.XLSX", b"PK\x03\x04rest", "xlsx")],
)
def test_it_accepts_csv_and_xlsx_whose_content_matches(name, head, fmt):
    assert sniff_format(name, head) == fmt


@pytest.mark.parametrize(
    ("name", "head", "reason"),
    [
        ("a.txt", b"location,date\n", "Alleen .csv- en .xlsx-bestanden"),
        ("a.xls", b"\xd0\xcf\x11\xe0", "Alleen .csv- en .xlsx-bestanden"),
        ("a.csv", b"PK\x03\x04", "geen tekstbestand"),
        ("a.csv", b"MZ\x90\x00\x03", "geen tekstbestand"),
        ("a.xlsx", b"location,date\n", "geen Excel-bestand"),
        ("a.csv", "locatie;plaats\nA;Enschedé\n".encode("latin-1"), "niet in UTF-8"),
        ("a.csv", b"   ", "leeg"),
    ],
)
def test_it_refuses_files_whose_extension_or_content_is_wrong(name, head, reason):
    with pytest.raises(UnreadableFile, match=reason):
        sniff_format(name, head)


def test_it_refuses_a_file_above_the_upload_limit(tmp_path, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    path = write_csv(tmp_path, "a.csv", [["location", "date"], ["ENS-1", "2023-01-02"]])
    with pytest.raises(UnreadableFile, match="te groot"):
        check_file(path, "a.csv")


def test_it_refuses_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableFile, match="geen Excel-werkmap"):
        check_file(path, "a.xlsx")
