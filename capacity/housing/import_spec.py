"""The `permit-holders` import file (columns `municipality,date,housed,linked[,housed_amv]`),
for a TVS export or any spreadsheet, named in the setting `IMPORT_SPECS`.

The same rules as the other imports (the `imports` package): every row is checked before
anything is written, a file with any bad row imports nothing and names every bad row, one
report per municipality and date, so re-importing the same file changes nothing. A column
`housed_amv` left out (or a cell left empty) means 0, as `reserved` in capacity reports.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from imports.cells import is_blank, parse_count, parse_date
from imports.spec import (
    LOOKUP_CHUNK,
    Entry,
    ImportPlan,
    ImportScope,
    ImportSpec,
    WriteContext,
    classify,
    clean_errors,
)
from municipalities.import_spec import (
    municipality_cell,
    municipality_lookup,
    once_per_municipality_and_date,
)

from ..choices import ReportSource
from ..models import NOT_NEGATIVE, PermitHolderReport
from ..services import recompute_enqueue

COLUMNS = ("municipality", "date", "housed", "linked")
OPTIONAL = ("housed_amv",)
# The order of the figures in an entry's values: (municipality id, date, *FIGURES).
FIGURES = ("housed", "housed_amv", "linked")


def _count(value) -> int:
    return parse_count(value, negative_message=NOT_NEGATIVE)


def _validate(plan: ImportPlan, rows, scope: ImportScope) -> None:
    municipalities = municipality_lookup()
    with_amv = "housed_amv" in plan.columns
    seen: dict[tuple[int, datetime.date], int] = {}
    parsed: list[Entry] = []
    probe = PermitHolderReport()  # one instance whose clean() checks every row
    for row, values in rows:
        errors_before = len(plan.errors)
        municipality = municipality_cell(plan, row, values["municipality"], municipalities, scope)
        date = plan.read(row, "date", parse_date, values["date"])
        figures = [
            0
            if column == "housed_amv" and (not with_amv or is_blank(values[column]))
            else plan.read(row, column, _count, values[column])
            for column in FIGURES
        ]
        if None not in figures:
            probe.date = date
            probe.housed, probe.housed_amv, probe.linked = figures
            try:
                probe.clean()
            except ValidationError as exc:
                for column, message in clean_errors(exc):
                    plan.error(row, column, message)
        once_per_municipality_and_date(plan, row, seen, municipality, date)
        if len(plan.errors) == errors_before:
            parsed.append(Entry(row=row, values=(municipality[0], date, *figures)))

    existing = _existing(parsed)
    changed: set[int] = set()
    first_changed: datetime.date | None = None
    for entry in parsed:
        municipality_id, date, *figures = entry.values
        found = existing.get((municipality_id, date))
        old = None
        if found is not None:
            old = found[1:] if tuple(figures) != found[1:] else ()
        state = classify(plan, entry, existing_pk=found[0] if found else None, old=old)
        if state != "unchanged":
            changed.add(municipality_id)
            first_changed = date if first_changed is None else min(first_changed, date)
    if changed:
        plan.recompute(changed, first_changed)
    plan.context["municipality_names"] = {pk: name for pk, _region, name in municipalities.values()}


def _existing(entries: list[Entry]) -> dict[tuple[int, datetime.date], tuple]:
    """(municipality id, date) -> (pk, housed, housed_amv, linked) of the reports already
    there for the file's municipalities within its date range."""
    if not entries:
        return {}
    ids = sorted({entry.values[0] for entry in entries})
    first = min(entry.values[1] for entry in entries)
    last = max(entry.values[1] for entry in entries)
    found = {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        reports = PermitHolderReport.objects.filter(
            municipality_id__in=ids[start : start + LOOKUP_CHUNK], date__gte=first, date__lte=last
        ).values_list("municipality_id", "date", "pk", *FIGURES)
        for municipality_id, date, pk, *figures in reports:
            found[(municipality_id, date)] = (pk, *figures)
    return found


def _build(entry: Entry, context: WriteContext) -> PermitHolderReport:
    municipality_id, date, housed, housed_amv, linked = entry.values
    return PermitHolderReport(
        municipality_id=municipality_id,
        date=date,
        housed=housed,
        housed_amv=housed_amv,
        linked=linked,
        source=ReportSource.IMPORT,
        reported_by=context.history_user,
    )


def _apply(instance: PermitHolderReport, entry: Entry, context: WriteContext) -> list[str]:
    _code, _date, instance.housed, instance.housed_amv, instance.linked = entry.values
    instance.source = ReportSource.IMPORT
    instance.reported_by = context.history_user
    instance.version += 1  # the row is locked from its read to the UPDATE (plan_write)
    instance.updated = context.now  # auto_now is not applied by the bulk update
    return [*FIGURES, "source", "reported_by", "version", "updated"]


def _figures(housed, housed_amv, linked) -> str:
    return _("gehuisvest %(housed)s (waarvan amv %(housed_amv)s), gekoppeld %(linked)s") % {
        "housed": housed,
        "housed_amv": housed_amv,
        "linked": linked,
    }


def _describe(plan: ImportPlan, entry: Entry) -> dict:
    municipality_id, date, *figures = entry.values
    name = plan.context.get("municipality_names", {}).get(municipality_id, municipality_id)
    return {
        "subject": f"{name}, {date:%d-%m-%Y}",
        "values": _figures(*figures),
        "was": _figures(*entry.old) if entry.old else "",
    }


PERMIT_HOLDERS = ImportSpec(
    kind="permit-holders",
    label=_("Huisvesting statushouders"),
    model=PermitHolderReport,
    columns=COLUMNS,
    optional_columns=OPTIONAL,
    validate=_validate,
    build=_build,
    apply=_apply,
    describe=_describe,
    recompute_enqueue=recompute_enqueue,
    project_leaders=True,
)
