"""CSV/XLSX imports of locations and capacity reports (columns: DESIGN.md).

The validators reuse the models' own rules and messages (`Location.full_clean()` without the
database checks, `report_rule_errors` behind `CapacityReport.clean()`); lookups are fetched
up front in a few queries, so a file of 130,000 reports is checked without a query per row.
The shared machinery (plans, scope, bulk writes with history) is in `municipalities.importing`,
the admin resource base in `municipalities.resources`.

Capacity reports are checked and written by `capacity.reporting` like every other report
write (contract end, plausibility flags, versions, history, one recompute): the validator asks
`reports_check` after reading the cells, and the plan is written by `reports_record`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from municipalities.importing import (
    BATCH_SIZE,
    LOOKUP_CHUNK,
    CellError,
    Entry,
    ImportPlan,
    ImportScope,
    ImportSpec,
    WriteContext,
    cell_text,
    classify,
    clean_errors,
    is_blank,
    municipality_lookup,
    parse_choice,
    parse_count,
    parse_date,
    parse_decimal,
    parse_optional_date,
)
from municipalities.models import Municipality
from municipalities.resources import PlanResource

from .choices import LocationStatus, LocationType, ReportSource, TargetGroup
from .models import NOT_NEGATIVE, CapacityReport, Location, report_rule_errors
from .reporting import ReportEntry, reports_check, reports_record
from .services import recompute_enqueue

# Locations: code,name,municipality,place,type,target_group,status,opened_on,contract_end,
# latitude,longitude (+ the other location fields as optional columns) -----------------------

LOCATION_COLUMNS = (
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
)
LOCATION_OPTIONAL = ("planned_capacity", "notes", "contact_name", "contact_phone", "contact_email")
TEXT_COLUMNS = ("name", "place", "notes", "contact_name", "contact_phone", "contact_email")
# A change of these changes past totals: the occupancy is recomputed from the start.
TOTALS_FIELDS = ("municipality_id", "target_group", "status", "opened_on", "contract_end")


def _location_values(plan: ImportPlan, row: int, values: dict, municipalities) -> dict:
    """The model field values of one row (attnames), adding an error per unreadable cell."""
    result: dict = {"code": cell_text(values["code"])}
    for column in TEXT_COLUMNS:
        if column in values:
            result[column] = cell_text(values[column])
    code = cell_text(values["municipality"]).upper()
    municipality = municipalities.get(code)
    if not code:
        plan.error(row, "municipality", _("Vul de gemeente in (CBS-code, bijv. GM0153)."))
    elif municipality is None:
        plan.error(row, "municipality", _("Onbekende gemeente %(code)s.") % {"code": code})
    result["municipality_id"] = municipality[0] if municipality else None
    readers = {
        "type": lambda value: parse_choice(value, LocationType),
        "target_group": lambda value: parse_choice(value, TargetGroup),
        "status": lambda value: parse_choice(value, LocationStatus),
        "opened_on": parse_optional_date,
        "contract_end": parse_optional_date,
        "latitude": parse_decimal,
        "longitude": parse_decimal,
        "planned_capacity": lambda value: (
            None if is_blank(value) else parse_count(value, negative_message=NOT_NEGATIVE)
        ),
    }
    for column, read in readers.items():
        if column not in values:
            continue
        try:
            result[column] = read(values[column])
        except CellError as exc:
            plan.error(row, column, str(exc))
            result[column] = None
    return result


def _locations_validate(plan: ImportPlan, rows, scope: ImportScope) -> None:
    municipalities = municipality_lookup()
    by_id = {pk: (pk, region_id, name) for pk, region_id, name in municipalities.values()}
    seen: dict[str, int] = {}
    parsed: list[Entry] = []
    for row, values in rows:
        errors_before = len(plan.errors)
        new = _location_values(plan, row, values, municipalities)
        unreadable = [error.column for error in plan.errors[errors_before:]]
        municipality = by_id.get(new["municipality_id"])
        if municipality is not None:
            refusal = scope.refusal(
                municipality_id=municipality[0], region_id=municipality[1], name=municipality[2]
            )
            if refusal:
                plan.error(row, "municipality", refusal)
        candidate = Location(**{key: value for key, value in new.items() if value is not None})
        try:
            # The database checks (unique code, constraints) are the plan's job: one lookup
            # for all codes instead of a query per row.
            candidate.full_clean(
                exclude=["municipality", "version", *unreadable],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for column, message in clean_errors(exc):
                plan.error(row, column, message)
        code = new["code"]
        if code in seen:
            plan.error(
                row,
                "code",
                _("Dubbele regel: locatie %(code)s staat ook in rij %(seen)s.")
                % {"code": code, "seen": seen[code]},
            )
        elif code:
            seen[code] = row
        if len(plan.errors) == errors_before:
            parsed.append(Entry(row=row, values=new))

    codes = [entry.values["code"] for entry in parsed]
    existing: dict[str, Location] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        for location in Location.objects.filter(code__in=codes[start : start + LOOKUP_CHUNK]):
            existing[location.code] = location
    for entry in parsed:
        current = existing.get(entry.values["code"])
        old = None
        if current is not None:
            was = by_id.get(current.municipality_id)
            refusal = was and scope.refusal(municipality_id=was[0], region_id=was[1], name=was[2])
            if refusal:
                plan.error(
                    entry.row,
                    "code",
                    _("Locatie %(code)s: %(refusal)s") % {"code": current.code, "refusal": refusal},
                )
                continue
            old = {
                key: getattr(current, key)
                for key, value in entry.values.items()
                if getattr(current, key) != value
            }
            if any(key in old for key in TOTALS_FIELDS):
                plan.recompute({current.municipality_id, entry.values["municipality_id"]}, None)
        classify(plan, entry, existing_pk=current.pk if current else None, old=old)
    plan.context["municipality_names"] = {pk: name for pk, _region, name in by_id.values()}


def _location_build(entry: Entry, context: WriteContext) -> Location:
    return Location(**entry.values)


def _location_apply(instance: Location, entry: Entry, context: WriteContext) -> list[str]:
    for key in entry.old:
        setattr(instance, key, entry.values[key])
    instance.version += 1
    instance.updated = context.now  # auto_now is not applied by bulk_update
    return [key.removesuffix("_id") for key in entry.old] + ["version", "updated"]


LOCATION_LABELS = {
    "name": _("naam"),
    "municipality_id": _("gemeente"),
    "place": _("plaats"),
    "type": _("soort"),
    "target_group": _("doelgroep"),
    "status": _("status"),
    "opened_on": _("opening"),
    "contract_end": _("einddatum"),
    "latitude": _("breedtegraad"),
    "longitude": _("lengtegraad"),
    "planned_capacity": _("geplande capaciteit"),
    "notes": _("toelichting"),
    "contact_name": _("contactpersoon"),
    "contact_phone": _("telefoon"),
    "contact_email": _("e-mail"),
}


def _shown(plan: ImportPlan, key: str, value) -> str:
    if value is None or value == "":
        return "–"
    if key == "municipality_id":
        return plan.context.get("municipality_names", {}).get(value, str(value))
    if isinstance(value, datetime.date):
        return f"{value:%d-%m-%Y}"
    return str(value)


def _location_describe(plan: ImportPlan, entry: Entry) -> dict:
    values = entry.values
    old = entry.old or {}
    return {
        "subject": f"{values['code']}: {values.get('name', '')}",
        "values": ", ".join(
            f"{LOCATION_LABELS[key]} {_shown(plan, key, values[key])}"
            for key in (old or ("municipality_id", "type", "target_group", "status"))
        ),
        "was": ", ".join(
            f"{LOCATION_LABELS[key]} {_shown(plan, key, value)}" for key, value in old.items()
        ),
    }


LOCATIONS = ImportSpec(
    kind="locations",
    label=_("Locaties"),
    model=Location,
    columns=LOCATION_COLUMNS,
    optional_columns=LOCATION_OPTIONAL,
    validate=_locations_validate,
    build=_location_build,
    apply=_location_apply,
    describe=_location_describe,
    project_leaders=True,
)


# Capacity reports: location,date,capacity,occupied[,reserved] ---------------------------------


def _reports_validate(plan: ImportPlan, rows, scope: ImportScope) -> None:
    locations = {
        code: (pk, municipality_id, region_id, name)
        for code, pk, municipality_id, region_id, name in Location.objects.values_list(
            "code",
            "pk",
            "municipality_id",
            "municipality__safety_region_id",
            "municipality__name",
        )
    }
    with_reserved = "reserved" in plan.columns
    seen: dict[tuple[int, datetime.date], int] = {}
    parsed: list[Entry] = []
    today = timezone.localdate()  # the reports' own rules (CapacityReport.clean), per row
    for row, values in rows:
        errors_before = len(plan.errors)
        code = cell_text(values["location"])
        location = locations.get(code)
        if not code:
            plan.error(row, "location", _("Vul de locatiecode in."))
        elif location is None:
            plan.error(row, "location", _("Onbekende locatie %(code)s.") % {"code": code})
        elif refusal := scope.refusal(
            municipality_id=location[1], region_id=location[2], name=location[3]
        ):
            plan.error(
                row,
                "location",
                _("Locatie %(code)s: %(refusal)s") % {"code": code, "refusal": refusal},
            )
        try:
            date = parse_date(values["date"])
        except CellError as exc:
            plan.error(row, "date", str(exc))
            date = None
        counts = []
        for column in ("capacity", "occupied", "reserved"):
            if column == "reserved" and (not with_reserved or is_blank(values[column])):
                counts.append(0)
                continue
            try:
                counts.append(parse_count(values[column], negative_message=NOT_NEGATIVE))
            except CellError as exc:
                plan.error(row, column, str(exc))
                counts.append(None)
        if None not in counts:
            capacity, occupied, reserved = counts
            rules = report_rule_errors(
                date=date, capacity=capacity, occupied=occupied, reserved=reserved, today=today
            )
            for column, message in rules.items():
                plan.error(row, column, message)
        if location is not None and date is not None:
            key = (location[0], date)
            if key in seen:
                plan.error(
                    row,
                    "location",
                    _("Dubbele regel: %(code)s op %(date)s staat ook in rij %(seen)s.")
                    % {"code": code, "date": format(date, "%d-%m-%Y"), "seen": seen[key]},
                )
            else:
                seen[key] = row
        if len(plan.errors) == errors_before:
            capacity, occupied, reserved = counts
            parsed.append(
                Entry(
                    row=row,
                    values=ReportEntry(
                        location_id=location[0],
                        date=date,
                        capacity=capacity,
                        occupied=occupied,
                        reserved=reserved,
                        key=row,
                    ),
                )
            )
    del seen

    # The rules of every write path (contract end, plausibility) and what is there already,
    # from the service that will write the file: a handful of queries for the whole file.
    check = reports_check(entries=[entry.values for entry in parsed])
    for index, entry in enumerate(parsed):
        judged = check.judged[index]
        if judged.errors:
            for column, message in clean_errors(ValidationError(judged.errors)):
                plan.error(entry.row, column, message)
            continue
        existing = judged.existing
        old = None
        if existing is not None:
            old = () if check.is_unchanged(index) else existing.counts
        state = classify(plan, entry, existing_pk=existing.pk if existing else None, old=old)
        if state != "unchanged" and judged.reason:
            plan.flag(entry.row, judged.reason)
    plan.context["location_codes"] = {pk: code for code, (pk, *_rest) in locations.items()}


def _reports_write(plan: ImportPlan, context: WriteContext) -> None:
    """Every created and changed row through `reports_record`, as any other report write:
    checked again inside the import's transaction, flagged, versioned, with history; the
    recompute goes to the plan (the import's run enqueues it after the commit)."""
    reports_record(
        entries=[entry.values for entry in (*plan.created, *plan.updated)],
        source=ReportSource.IMPORT,
        user=context.user,
        reason=context.reason,
        recompute=plan.recompute,
        keep_reports=False,
    )


def _report_build(entry: Entry, context: WriteContext) -> CapacityReport:
    # The admin's preview shows the rows as instances; `_reports_write` writes them.
    report = entry.values
    return CapacityReport(
        location_id=report.location_id,
        date=report.date,
        capacity=report.capacity,
        occupied=report.occupied,
        reserved=report.reserved,
        source=ReportSource.IMPORT,
        reported_by=context.history_user,
    )


def _report_apply(instance: CapacityReport, entry: Entry, context: WriteContext) -> list[str]:
    report = entry.values
    instance.capacity, instance.occupied, instance.reserved = (
        report.capacity,
        report.occupied,
        report.reserved,
    )
    instance.source = ReportSource.IMPORT
    instance.reported_by = context.history_user
    return ["capacity", "occupied", "reserved", "source", "reported_by"]


def _counts(capacity, occupied, reserved) -> str:
    return _("capaciteit %(capacity)s, bezet %(occupied)s, gereserveerd %(reserved)s") % {
        "capacity": capacity,
        "occupied": occupied,
        "reserved": reserved,
    }


def _report_describe(plan: ImportPlan, entry: Entry) -> dict:
    report = entry.values
    code = plan.context.get("location_codes", {}).get(report.location_id, report.location_id)
    return {
        "subject": f"{code}, {report.date:%d-%m-%Y}",
        "values": _counts(report.capacity, report.occupied, report.reserved),
        "was": _counts(*entry.old) if entry.old else "",
    }


CAPACITY_REPORTS = ImportSpec(
    kind="capacity-reports",
    label="Capaciteitsmeldingen",
    model=CapacityReport,
    columns=("location", "date", "capacity", "occupied"),
    optional_columns=("reserved",),
    validate=_reports_validate,
    build=_report_build,
    apply=_report_apply,
    write=_reports_write,
    describe=_report_describe,
    project_leaders=True,
)


# Admin resources -------------------------------------------------------------------------------


class _RecomputeAfterImport(PlanResource):
    def after_write(self, plan: ImportPlan) -> None:
        # One recompute for the whole file, after the import's transaction commits.
        if plan.recompute_municipality_ids:
            recompute_enqueue(plan.recompute_municipality_ids, plan.recompute_from)


class LocationResource(_RecomputeAfterImport):
    spec = LOCATIONS
    municipality = fields.Field(
        attribute="municipality",
        column_name="municipality",
        widget=widgets.ForeignKeyWidget(Municipality, "code"),
    )
    opened_on = fields.Field(
        attribute="opened_on", column_name="opened_on", widget=widgets.DateWidget("%Y-%m-%d")
    )
    contract_end = fields.Field(
        attribute="contract_end",
        column_name="contract_end",
        widget=widgets.DateWidget("%Y-%m-%d"),
    )

    class Meta:
        model = Location
        fields = LOCATION_COLUMNS + LOCATION_OPTIONAL
        import_id_fields = ("code",)
        use_bulk = True
        batch_size = BATCH_SIZE
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False  # the plan already ran the model's rules

    def get_queryset(self):
        return Location.objects.select_related("municipality")


class CapacityReportResource(_RecomputeAfterImport):
    spec = CAPACITY_REPORTS
    location = fields.Field(
        attribute="location",
        column_name="location",
        widget=widgets.ForeignKeyWidget(Location, "code"),
    )
    date = fields.Field(attribute="date", column_name="date", widget=widgets.DateWidget("%Y-%m-%d"))

    class Meta:
        model = CapacityReport
        fields = ("location", "date", "capacity", "occupied", "reserved")
        import_id_fields = ("location", "date")
        use_bulk = True
        batch_size = BATCH_SIZE
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False

    def get_queryset(self):
        return CapacityReport.objects.select_related("location")
