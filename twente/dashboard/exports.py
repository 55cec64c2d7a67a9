"""The overview's tables, for the TRA and the PRT (and the API's `?format=`), as tables of
plain values (numbers, dates); `municipalities.spreadsheets` writes them as CSV or XLSX.
"""

from decimal import Decimal

import tablib
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from capacity.choices import TargetGroup
from capacity.figures import FigureSet
from twente.overview import AreaOverview, Overview

from .selectors import RegionalPicture

TABLES = ("target_groups", "municipalities")

LEVEL_LABELS = {
    "ok": "",
    "warning": gettext_lazy("Waarschuwing"),
    "tipping_point": gettext_lazy("Kantelpunt"),
}


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
            gettext("Doelgroep"),
            gettext("Taakstelling"),
            gettext("Deadline"),
            gettext("Taak"),
            gettext("Operationeel"),
            gettext("Bezet"),
            gettext("Vrij"),
            gettext("Bezettingsgraad (%)"),
            gettext("Signaal"),
            gettext("Tekort"),
            gettext("Gerealiseerd"),
            gettext("Begindatum"),
            gettext("Gekoppeld"),
            gettext("Meegenomen uit vorige taakstelling"),
            gettext("Meetellende locatietypen"),
        ],
        title=gettext("Per doelgroep"),
    )
    for status in picture.groups:
        figures, task = status.figures, status.task
        dataset.append(
            [
                str(figures.label),
                task.title if task else "",
                task.deadline if task else None,
                figures.required,
                figures.operational,
                figures.occupied,
                figures.free,
                _percent(figures),
                str(LEVEL_LABELS[figures.level]),
                figures.gap,
                figures.realised,
                task.starts_on if task else None,
                figures.linked,
                figures.carried_over,
                _location_types(task),
            ]
        )
    total = picture.total
    dataset.append(
        [
            gettext("Totaal"),
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
    headers = [gettext("Gemeente"), gettext("CBS-code"), gettext("Inwoners")]
    for group in TargetGroup:
        headers += [
            gettext("%(group)s: taak") % {"group": group.label},
            gettext("%(group)s: gerealiseerd") % {"group": group.label},
            gettext("%(group)s: tekort") % {"group": group.label},
            gettext("%(group)s: bezettingsgraad (%%)") % {"group": group.label},
        ]
        if group == TargetGroup.PERMIT_HOLDERS:
            headers += [
                gettext("%(group)s: gekoppeld") % {"group": group.label},
                gettext("%(group)s: meegenomen uit vorige taakstelling") % {"group": group.label},
            ]
    headers += [gettext("Laatste melding"), gettext("Melding verouderd")]
    dataset = tablib.Dataset(headers=headers, title=gettext("Per gemeente"))
    for row in picture.municipalities:
        municipality = row.municipality
        values = [municipality.name, municipality.code, municipality.population]
        for figures in municipality.target_groups:
            values += [figures.required, figures.realised, figures.gap, _percent(figures)]
            if figures.target_group == TargetGroup.PERMIT_HOLDERS:
                values += [figures.linked, figures.carried_over]
        values += [
            municipality.last_report_date,
            gettext("ja") if row.stale else gettext("nee"),
        ]
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
        title=_("Overzicht"),
    )
    rows = [(overview.region.code, overview.region.name, overview.target_groups)]
    rows += [(m.code, m.name, m.target_groups) for m in overview.municipalities]
    for code, name, groups in rows:
        for figures in groups:
            dataset.append(
                [
                    overview.region.code,
                    overview.date,
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
        title=_("Overzicht"),
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
                    overview.date,
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
