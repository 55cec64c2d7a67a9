"""Small CSV and XLSX files for the import tests."""

import csv
from pathlib import Path

import openpyxl


def write_csv(directory: Path, name: str, rows, *, delimiter: str = ",", bom: bool = False) -> Path:
    path = directory / name
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(directory: Path, name: str, rows) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    path = directory / name
    workbook.save(path)
    return path
