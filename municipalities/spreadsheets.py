"""The one writer of the CSV and XLSX downloads: the dashboard's tables, the overview API's
`?format=`, the meetings' decision and action lists.

A table is a `tablib.Dataset` with a title (the XLSX sheet's name), headers and rows of plain
values: text, numbers (int, Decimal), dates, None.

- CSV is `;`-separated with a byte-order mark and decimal commas, which is what Excel with
  Dutch regional settings opens correctly; dates read dd-mm-yyyy, None is empty.
- XLSX names its sheet after the table, stores numbers as numbers and dates as real date cells
  shown dd-mm-yyyy (so they sort and filter as dates), and never turns text into a formula.

It lives in `municipalities`, at the bottom of the dependency graph, so that every app can use
it without importing the project package.
"""

import csv
import datetime
import io
import re
from decimal import Decimal

import tablib
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DATE_FORMAT = "DD-MM-YYYY"
DATETIME_FORMAT = "DD-MM-YYYY HH:MM"

# Excel refuses these in a sheet's name and cuts it at 31 characters.
_TITLE_FORBIDDEN = re.compile(r"[\\*?:/\[\]]")
_TITLE_LENGTH = 31


def spreadsheet_response(table: tablib.Dataset, *, fmt: str, filename: str) -> HttpResponse:
    """`table` as a download in `fmt` ("csv" or "xlsx"), named `<slug of filename>.<fmt>`."""
    content = csv_content(table) if fmt == "csv" else xlsx_content(table)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.{fmt}"'
    return response


def csv_content(table: tablib.Dataset) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";")
    writer.writerow(table.headers)
    writer.writerows([_csv_cell(value) for value in row] for row in table)
    return "\ufeff" + stream.getvalue()


def _csv_cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, datetime.datetime):
        return f"{_local(value):%d-%m-%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d-%m-%Y}"
    return value


def _local(value: datetime.datetime) -> datetime.datetime:
    # Excel has no time zones: a moment is written as the local time it was in the Netherlands.
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def sheet_title(title: str) -> str:
    """A table's title as Excel accepts it for a sheet's name."""
    return _TITLE_FORBIDDEN.sub("-", title)[:_TITLE_LENGTH]


def xlsx_content(table: tablib.Dataset) -> bytes:
    # An unnamed sheet would be "Sheet": every table says what it is.
    if not table.title:
        raise ValueError("A spreadsheet's table needs a title, the name of its sheet.")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(str(table.title))
    sheet.append(list(table.headers))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    widths = [len(str(header)) for header in table.headers]
    for row in table:
        sheet.append([_local(v) if isinstance(v, datetime.datetime) else v for v in row])
        for column, cell in enumerate(sheet[sheet.max_row]):
            _xlsx_cell(cell)
            widths[column] = max(widths[column], _width(cell.value))
    for column, cell in enumerate(sheet[1]):
        sheet.column_dimensions[cell.column_letter].width = widths[column] + 2
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _xlsx_cell(cell) -> None:
    # openpyxl reads text that starts with "=" as a formula; user text stays text.
    if cell.data_type == "f":
        cell.data_type = "s"
    if isinstance(cell.value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(cell.value, datetime.date):
        cell.number_format = DATE_FORMAT


def _width(value) -> int:
    if isinstance(value, datetime.datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return len(DATE_FORMAT)
    return len(str(value)) if value is not None else 0
