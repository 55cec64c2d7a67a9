"""CSV and XLSX of the overview's tables, for the TRA and the PRT (and the API's `?format=`).

CSV is `;`-separated with a byte-order mark and decimal commas, which is what Excel with Dutch
regional settings opens correctly (the meetings' exports do the same); XLSX carries real
numbers. Dates are written as dd-mm-yyyy.
"""

import datetime
from decimal import Decimal

import tablib
from django.http import HttpResponse
from django.utils.text import slugify

from capacity.choices import TargetGroup
from capacity.figures import FigureSet
from twente.overview import AreaOverview, Overview

from .selectors import RegionalPicture

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TABLES = ("target_groups", "municipalities")

LEVEL_LABELS = {"ok": "", "warning": "Waarschuwing", "tipping_point": "Kantelpunt"}


def _dmy(value: datetime.date | None) -> str:
    return f"{value:%d-%m-%Y}" if value else ""


def _percent(figures: FigureSet) -> Decimal | None:
    rate = figures.rate
    return None if rate is None else round(rate * 100, 1)


def _location_types(task) -> str:
    """The types whose places count toward a task of places, e.g. "azc, coa_emergency"."""
    if task is None or task.counts_housed:
        return ""
    return ", ".join(task.eligible_location_types)


def target_groups_dataset(picture: RegionalPicture) -> tablib.Dataset:
    """Per target group: the active task and the status, as the province asked for. The gap is
    the task minus what is realised: the operational places, for permit holders the persons
    housed in the task's period (with the pipeline and the carry-over in the last columns)."""
    dataset = tablib.Dataset(
        headers=[
            "Doelgroep",
            "Taakstelling",
            "Deadline",
            "Taak",
            "Operationeel",
            "Bezet",
            "Vrij",
            "Bezettingsgraad (%)",
            "Signaal",
            "Tekort",
            "Gerealiseerd",
            "Begindatum",
            "Gekoppeld",
            "Meegenomen uit vorige taakstelling",
            "Meetellende locatietypen",
        ],
        title="Per doelgroep",
    )
    for status in picture.groups:
        figures, task = status.figures, status.task
        dataset.append(
            [
                figures.label,
                task.title if task else "",
                _dmy(task.deadline) if task else "",
                figures.required,
                figures.operational,
                figures.occupied,
                figures.free,
                _percent(figures),
                LEVEL_LABELS[figures.level],
                figures.gap,
                figures.realised,
                _dmy(task.starts_on) if task else "",
                figures.linked,
                figures.carried_over,
                _location_types(task),
            ]
        )
    total = picture.total
    dataset.append(
        [
            "Totaal",
            "",
            "",
            total.required,
            total.operational,
            total.occupied,
            total.free,
            _percent(total),
            "",
            total.gap,
            total.realised,
            "",
            None,
            None,
            "",
        ]
    )
    return dataset


def municipalities_dataset(picture: RegionalPicture) -> tablib.Dataset:
    """Per municipality, in the order of the page: task, realised, gap and occupancy per group
    (permit holders: realised is the persons housed in the task's period, followed by the
    pipeline and the carry-over)."""
    headers = ["Gemeente", "CBS-code", "Inwoners"]
    for group in TargetGroup:
        headers += [
            f"{group.label}: taak",
            f"{group.label}: gerealiseerd",
            f"{group.label}: tekort",
            f"{group.label}: bezettingsgraad (%)",
        ]
        if group == TargetGroup.PERMIT_HOLDERS:
            headers += [
                f"{group.label}: gekoppeld",
                f"{group.label}: meegenomen uit vorige taakstelling",
            ]
    headers += ["Laatste melding", "Melding verouderd"]
    dataset = tablib.Dataset(headers=headers, title="Per gemeente")
    for row in picture.municipalities:
        municipality = row.municipality
        values = [municipality.name, municipality.code, municipality.population]
        for figures in municipality.target_groups:
            values += [figures.required, figures.realised, figures.gap, _percent(figures)]
            if figures.target_group == TargetGroup.PERMIT_HOLDERS:
                values += [figures.linked, figures.carried_over]
        values += [_dmy(municipality.last_report_date), "ja" if row.stale else "nee"]
        dataset.append(values)
    return dataset


def overview_dataset(overview: Overview) -> tablib.Dataset:
    """The API's overview as one flat table: a row per region or municipality and target
    group, with the JSON's field names as headers."""
    dataset = tablib.Dataset(
        headers=[
            "region",
            "date",
            "municipality",
            "name",
            "target_group",
            "required",
            "operational",
            "occupied",
            "occupancy_rate",
            "gap",
            "realisation",
            "realised",
            "linked",
            "carried_over",
            "location_types",
        ],
        title="overview",
    )
    rows = [(overview.region.code, overview.region.name, overview.target_groups)]
    rows += [(m.code, m.name, m.target_groups) for m in overview.municipalities]
    for code, name, groups in rows:
        for figures in groups:
            dataset.append(
                [
                    overview.region.code,
                    _dmy(overview.date),
                    code,
                    name,
                    figures.target_group,
                    figures.required,
                    figures.operational,
                    figures.occupied,
                    figures.rate_rounded(2),
                    figures.gap,
                    figures.realisation,
                    figures.realised,
                    figures.linked,
                    figures.carried_over,
                    ",".join(figures.location_types or ()),
                ]
            )
    return dataset


def area_dataset(overview: AreaOverview) -> tablib.Dataset:
    """The province or national overview as one flat table: a row per area (the whole,
    each province of the country, each region) and target group."""
    dataset = tablib.Dataset(
        headers=[
            "level",
            "code",
            "name",
            "province",
            "date",
            "target_group",
            "required",
            "operational",
            "occupied",
            "occupancy_rate",
            "gap",
            "realisation",
            "realised",
            "linked",
            "carried_over",
            "location_types",
        ],
        title="overview",
    )
    if overview.province is None:
        rows = [("country", "NL", "Nederland", "", overview.target_groups)]
        rows += [("province", p.code, p.name, p.code, p.target_groups) for p in overview.provinces]
    else:
        province = overview.province
        rows = [("province", province.code, province.name, province.code, overview.target_groups)]
    rows += [("region", r.code, r.name, r.province_code, r.target_groups) for r in overview.regions]
    for level, code, name, province_code, groups in rows:
        for figures in groups:
            dataset.append(
                [
                    level,
                    code,
                    name,
                    province_code,
                    _dmy(overview.date),
                    figures.target_group,
                    figures.required,
                    figures.operational,
                    figures.occupied,
                    figures.rate_rounded(2),
                    figures.gap,
                    figures.realisation,
                    figures.realised,
                    figures.linked,
                    figures.carried_over,
                    ",".join(figures.location_types or ()),
                ]
            )
    return dataset


def _csv_cell(value) -> object:
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return "" if value is None else value


def dataset_response(dataset: tablib.Dataset, *, fmt: str, filename: str) -> HttpResponse:
    if fmt == "csv":
        rows = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            rows.append([_csv_cell(value) for value in row])
        content = "\ufeff" + rows.export("csv", delimiter=";")
    else:
        content = dataset.export("xlsx")
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.{fmt}"'
    return response
