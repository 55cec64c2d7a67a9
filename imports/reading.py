"""Reading an import file: check what it is (by extension and by content), then stream its rows.

Only `.csv` (UTF-8, with or without byte-order mark, `,` or `;` separated) and `.xlsx` are
read. Rows are yielded one at a time with their spreadsheet row number (the header is row 1),
so a large file is never held in memory as a whole.
"""

import codecs
import csv
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
SNIFF_BYTES = 8192
# An XLSX is a zip; refuse one that would unpack to far more than the upload limit.
XLSX_MAX_EXPANSION = 50


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX file we can read; the message is Dutch."""


def sniff_format(name: str, head: bytes) -> str:
    """'csv' or 'xlsx' when the extension and the first bytes agree; else UnreadableFile."""
    suffix = Path(name).suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise UnreadableFile(_("Alleen .csv- en .xlsx-bestanden kunnen worden geïmporteerd."))
    if not head.strip():
        raise UnreadableFile(_("Het bestand is leeg."))
    is_zip = head.startswith(b"PK\x03\x04")
    if fmt == "xlsx" and not is_zip:
        raise UnreadableFile(_("Dit is geen Excel-bestand (.xlsx), al heeft het die extensie."))
    if fmt == "csv":
        if is_zip or b"\x00" in head:
            raise UnreadableFile(_("Dit is geen tekstbestand (CSV), al heeft het die extensie."))
        try:
            # An incremental decoder tolerates a character cut off at the end of `head`.
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            raise UnreadableFile(
                _("Het CSV-bestand is niet in UTF-8 opgeslagen; kies in Excel 'CSV UTF-8'.")
            ) from None
    return fmt


def check_file(path: Path, name: str) -> str:
    """The format of the file at `path` (uploaded as `name`), after checking its content."""
    size = path.stat().st_size
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        raise UnreadableFile(
            _("Het bestand is te groot (%(size)s MB; de grens is %(limit)s MB).")
            % {"size": format(size / 1e6, ".1f"), "limit": format(limit / 1e6, ".0f")}
        )
    with path.open("rb") as handle:
        fmt = sniff_format(name, handle.read(SNIFF_BYTES))
    if fmt == "xlsx":
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                unpacked = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            raise UnreadableFile(_("Het Excel-bestand is beschadigd.")) from None
        if "xl/workbook.xml" not in names:
            raise UnreadableFile(_("Dit is geen Excel-werkmap (.xlsx)."))
        if unpacked > XLSX_MAX_EXPANSION * limit:
            raise UnreadableFile(_("Het Excel-bestand is uitgepakt te groot."))
    return fmt


def sniff_delimiter(header_line: str) -> str:
    """`;` (what Dutch Excel writes) or `,`, whichever the header line has more of."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


Rows = Iterator[tuple[int, Sequence[Any]]]


@contextmanager
def open_rows(path: Path, fmt: str) -> Iterator[tuple[list, Rows]]:
    """(header, rows) of the file's first (active) sheet; rows as (row number, cells)."""
    if fmt == "csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
            delimiter = sniff_delimiter(first)
            header = next(csv.reader([first], delimiter=delimiter), [])
            yield header, _decoding(enumerate(csv.reader(handle, delimiter=delimiter), start=2))
        return
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise UnreadableFile(
            _("Het Excel-bestand kan niet worden gelezen (%(exc)s).") % {"exc": exc}
        ) from None
    try:
        sheet = workbook.active
        # Some tools write wrong sheet dimensions; without them openpyxl reads what is there.
        sheet.reset_dimensions()
        cells = sheet.iter_rows(values_only=True)
        header = list(next(cells, None) or [])
        yield header, enumerate(cells, start=2)
    finally:
        workbook.close()


def _decoding(rows: Rows) -> Rows:
    try:
        yield from rows
    except UnicodeDecodeError:
        raise UnreadableFile(
            _("Het CSV-bestand is niet in UTF-8 opgeslagen; kies in Excel 'CSV UTF-8'.")
        ) from None
    except csv.Error as exc:
        raise UnreadableFile(
            _("Het CSV-bestand kan niet worden gelezen (%(exc)s).") % {"exc": exc}
        ) from None
