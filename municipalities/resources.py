"""CSV/XLSX imports of municipalities and population, and the admin's import resources.

The machinery (validation plans, scope, bulk writes with history) is in `importing.py`; this
module holds the specs of the `municipalities` and `population` files and the
django-import-export pieces the admin uses, shared with capacity's resources.
"""

import csv
import datetime
import io

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from .importing import (
    BATCH_SIZE,
    FILE_ROW,
    CellError,
    Entry,
    ImportPlan,
    ImportScope,
    ImportSpec,
    WriteContext,
    cell_text,
    classify,
    clean_errors,
    import_scope_for,
    may_import,
    municipality_lookup,
    normalize_header,
    parse_count,
    parse_date,
    plan_validate,
    plan_write,
    sniff_delimiter,
)
from .models import KeyFigure, Municipality, SafetyRegion

# The admin's import --------------------------------------------------------------------------


class SniffingCSV(base_formats.CSV):
    """CSV with `,` or `;` (Dutch Excel writes `;`) and an optional byte-order mark. Blank lines
    are kept, so row numbers match what a spreadsheet shows."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode("utf-8-sig")
        in_stream = in_stream.lstrip("\ufeff")
        first_line = in_stream.split("\n", 1)[0]
        delimiter = sniff_delimiter(first_line)
        reader = csv.reader(io.StringIO(in_stream, newline=""), delimiter=delimiter)
        header = next(reader, [])
        dataset = tablib.Dataset(headers=header)
        width = len(header)
        for row in reader:
            dataset.append((row + [""] * width)[:width])
        return dataset


class ImportAdminMixin(ImportExportMixin):
    """Import and export in the admin with the same rules as the upload page."""

    import_formats = [SniffingCSV, base_formats.XLSX]
    export_formats = [base_formats.CSV, base_formats.XLSX]

    def has_import_permission(self, request) -> bool:
        resource_class = self.get_import_resource_classes(request)[0]
        return may_import(request.user, spec=resource_class.spec)


class PlanResource(resources.ModelResource):
    """A ModelResource whose import runs `plan_validate` and writes in bulk with history.

    django-import-export still drives the admin's preview and confirm steps, but each row's
    fate comes from the plan: rows with errors become invalid rows (and, as
    `rollback_on_validation_errors` is forced on, any invalid row rolls the whole import
    back), changed rows get the plan's values, unchanged rows are skipped. The plan is then
    written by `plan_write`, exactly as the upload page writes it. Subclasses set `spec` and
    may override `after_write`.
    """

    spec: ImportSpec

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.plan: ImportPlan | None = None
        self._actions: dict[int, tuple[str, Entry]] = {}
        self._errors: dict[int, dict[str, list[str]]] = {}
        self._row = 0
        self._context: WriteContext | None = None

    def import_data(self, dataset, **kwargs):
        kwargs["rollback_on_validation_errors"] = True  # all or nothing, confirm step too
        kwargs["use_transactions"] = True
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs):
        user = kwargs.get("user")
        scope = import_scope_for(user, spec=self.spec)
        dataset.headers = [normalize_header(name) for name in dataset.headers or []]
        self.plan = plan_validate(
            self.spec,
            header=dataset.headers,
            rows=enumerate(dataset, start=2),
            scope=scope,
        )
        file_errors = [error for error in self.plan.errors if error.row in (FILE_ROW, 1)]
        if file_errors:
            raise ValidationError([str(error) for error in file_errors])
        self._errors = self.plan.errors_by_row()
        for name in ("created", "updated", "unchanged"):
            for entry in getattr(self.plan, name):
                self._actions[entry.row] = (name, entry)
        who = getattr(user, "username", "") or "systeem"
        self._context = WriteContext(
            user=user, reason=f"Import {kwargs.get('file_name') or ''} (beheer) door {who}"[:100]
        )

    def before_import_row(self, row, row_number=None, **kwargs):
        self._row = (row_number or 0) + 1
        if errors := self._errors.get(self._row):
            # The admin numbers data rows from 1; name the spreadsheet row as everywhere else.
            raise ValidationError(
                {
                    column: [
                        _("rij %(row)s: %(message)s") % {"row": self._row, "message": message}
                        for message in messages
                    ]
                    for column, messages in errors.items()
                }
            )

    def get_or_init_instance(self, instance_loader, row):
        action, entry = self._actions.get(self._row, ("unchanged", None))
        if action == "created" or entry is None:
            return self._meta.model(), True
        # Locked until the import commits, as in `plan_write`.
        return self._meta.model._default_manager.select_for_update().get(pk=entry.pk), False

    def import_instance(self, instance, row, **kwargs):
        action, entry = self._actions.get(self._row, ("unchanged", None))
        if action == "created":
            built = self.spec.build(entry, self._context)
            for model_field in self._meta.model._meta.concrete_fields:
                setattr(instance, model_field.attname, getattr(built, model_field.attname))
        elif action == "updated":
            self.spec.apply(instance, entry, self._context)  # for the preview's diff

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return self._actions.get(self._row, ("unchanged", None))[0] == "unchanged"

    # The rows are written by `plan_write` once every row is through, as on the upload page
    # (one writer for every way in); django-import-export's own bulk writes only collect.
    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self.update_instances.clear()

    def after_import(self, dataset, result, **kwargs):
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        if self.plan is not None:
            # Inside the import's transaction; an error here is the import's error and rolls
            # it back (django-import-export reports it).
            plan_write(self.plan, user=self._context.user, reason=self._context.reason)
            self.after_write(self.plan)

    def after_write(self, plan: ImportPlan) -> None:
        """Hook: work after a successful (committed with the import) admin import."""


# Municipalities: code,name,safety_region ------------------------------------------------------


def _municipalities_validate(plan: ImportPlan, rows, scope: ImportScope) -> None:
    regions = dict(SafetyRegion.objects.values_list("code", "pk"))
    region_names = dict(SafetyRegion.objects.values_list("pk", "name"))
    existing = {m.code: m for m in Municipality.objects.all()}
    seen: dict[str, int] = {}
    for row, values in rows:
        errors_before = len(plan.errors)
        code = cell_text(values["code"]).upper()
        name = cell_text(values["name"])
        region_code = cell_text(values["safety_region"]).upper()
        region_id = regions.get(region_code)
        if not region_code:
            plan.error(
                row, "safety_region", _("Vul de veiligheidsregio in (CBS-code, bijv. VR05).")
            )
        elif region_id is None:
            plan.error(
                row,
                "safety_region",
                _("Onbekende veiligheidsregio %(region_code)s.") % {"region_code": region_code},
            )
        candidate = Municipality(code=code, name=name, safety_region_id=region_id)
        try:
            candidate.full_clean(
                exclude=["safety_region"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for column, message in clean_errors(exc):
                plan.error(row, column, message)
        if code in seen:
            plan.error(
                row,
                "code",
                _("Dubbele regel: gemeente %(code)s staat ook in rij %(seen)s.")
                % {"code": code, "seen": seen[code]},
            )
        elif code:
            seen[code] = row
        current = existing.get(code)
        # The region it will be in, and the one it is in now, must both be the user's.
        regions_touched = [region_id] + ([current.safety_region_id] if current else [])
        for in_region in regions_touched:
            refusal = in_region is not None and scope.refusal(
                municipality_id=current.pk if current else None,
                region_id=in_region,
                name=name or code,
            )
            if refusal:
                plan.error(row, "safety_region", refusal)
                break
        if len(plan.errors) != errors_before:
            continue
        new = {"code": code, "name": name, "safety_region_id": region_id}
        old = None
        if current is not None:
            old = {
                key: getattr(current, key)
                for key, value in new.items()
                if getattr(current, key) != value
            }
        classify(
            plan, Entry(row=row, values=new), existing_pk=current.pk if current else None, old=old
        )
    plan.context["region_names"] = region_names


def _municipality_build(entry: Entry, context: WriteContext) -> Municipality:
    return Municipality(**entry.values)


def _municipality_apply(instance: Municipality, entry: Entry, context: WriteContext) -> list[str]:
    for key in entry.old:
        setattr(instance, key, entry.values[key])
    return [key.removesuffix("_id") for key in entry.old]


def _municipality_describe(plan: ImportPlan, entry: Entry) -> dict:
    regions = plan.context.get("region_names", {})
    values = entry.values

    def shown(key, value):
        return regions.get(value, value) if key == "safety_region_id" else value

    return {
        "subject": f"{values['name']} ({values['code']})",
        "values": _("veiligheidsregio %(region)s")
        % {"region": regions.get(values["safety_region_id"], "")},
        "was": ", ".join(
            f"{LABELS.get(key, key)} {shown(key, value)}"
            for key, value in (entry.old or {}).items()
        ),
    }


LABELS = {"name": "naam", "safety_region_id": _("veiligheidsregio"), "code": "code"}

MUNICIPALITIES = ImportSpec(
    kind="municipalities",
    label=_("Gemeenten"),
    model=Municipality,
    columns=("code", "name", "safety_region"),
    optional_columns=(),
    validate=_municipalities_validate,
    build=_municipality_build,
    apply=_municipality_apply,
    describe=_municipality_describe,
)


# Population: municipality,date,inhabitants ---------------------------------------------------

NEGATIVE_INHABITANTS = _("Een aantal inwoners kan niet negatief zijn.")


def _population_validate(plan: ImportPlan, rows, scope: ImportScope) -> None:
    municipalities = municipality_lookup()
    seen: dict[tuple[int, datetime.date], int] = {}
    parsed: list[Entry] = []
    for row, values in rows:
        errors_before = len(plan.errors)
        code = cell_text(values["municipality"]).upper()
        municipality = municipalities.get(code)
        if not code:
            plan.error(row, "municipality", _("Vul de gemeente in (CBS-code, bijv. GM0153)."))
        elif municipality is None:
            plan.error(row, "municipality", _("Onbekende gemeente %(code)s.") % {"code": code})
        elif refusal := scope.refusal(
            municipality_id=municipality[0], region_id=municipality[1], name=municipality[2]
        ):
            plan.error(row, "municipality", refusal)
        try:
            date = parse_date(values["date"])
        except CellError as exc:
            plan.error(row, "date", str(exc))
            date = None
        try:
            inhabitants = parse_count(values["inhabitants"], negative_message=NEGATIVE_INHABITANTS)
        except CellError as exc:
            plan.error(row, "inhabitants", str(exc))
            inhabitants = None
        if municipality is not None and date is not None:
            key = (municipality[0], date)
            if key in seen:
                plan.error(
                    row,
                    "municipality",
                    _("Dubbele regel: %(municipality)s op %(date)s staat ook in rij %(seen)s.")
                    % {
                        "municipality": municipality[2],
                        "date": format(date, "%d-%m-%Y"),
                        "seen": seen[key],
                    },
                )
            else:
                seen[key] = row
        if len(plan.errors) == errors_before:
            parsed.append(Entry(row=row, values=(municipality[0], date, inhabitants)))
    ids = {entry.values[0] for entry in parsed}
    existing = {
        (municipality_id, date): (pk, population)
        for municipality_id, date, pk, population in KeyFigure.objects.filter(
            municipality_id__in=ids
        ).values_list("municipality_id", "date", "pk", "population")
    }
    for entry in parsed:
        municipality_id, date, inhabitants = entry.values
        pk, population = existing.get((municipality_id, date), (None, None))
        old = None if pk is None else ((population,) if population != inhabitants else ())
        classify(plan, entry, existing_pk=pk, old=old)
    plan.context["municipality_names"] = {pk: name for pk, _region, name in municipalities.values()}


def _population_build(entry: Entry, context: WriteContext) -> KeyFigure:
    municipality_id, date, inhabitants = entry.values
    return KeyFigure(
        municipality_id=municipality_id,
        date=date,
        population=inhabitants,
        source=context.reason[:200],
    )


def _population_apply(instance: KeyFigure, entry: Entry, context: WriteContext) -> list[str]:
    instance.population = entry.values[2]
    return ["population"]


def _population_describe(plan: ImportPlan, entry: Entry) -> dict:
    municipality_id, date, inhabitants = entry.values
    name = plan.context.get("municipality_names", {}).get(municipality_id, municipality_id)
    return {
        "subject": f"{name}, {date:%d-%m-%Y}",
        "values": _("%(inhabitants)s inwoners") % {"inhabitants": inhabitants},
        "was": _("%(inhabitants)s inwoners") % {"inhabitants": entry.old[0]} if entry.old else "",
    }


POPULATION = ImportSpec(
    kind="population",
    label="Inwonertallen",
    model=KeyFigure,
    columns=("municipality", "date", "inhabitants"),
    optional_columns=(),
    validate=_population_validate,
    build=_population_build,
    apply=_population_apply,
    describe=_population_describe,
)


# Admin resources -------------------------------------------------------------------------------


class MunicipalityResource(PlanResource):
    spec = MUNICIPALITIES
    safety_region = fields.Field(
        attribute="safety_region",
        column_name="safety_region",
        widget=widgets.ForeignKeyWidget(SafetyRegion, "code"),
    )

    class Meta:
        model = Municipality
        fields = ("code", "name", "safety_region")
        import_id_fields = ("code",)
        use_bulk = True
        batch_size = BATCH_SIZE
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False  # the plan already ran the model's rules

    def get_queryset(self):
        return Municipality.objects.select_related("safety_region")


class KeyFigureResource(PlanResource):
    """Population figures (the other key figures are not part of the import files)."""

    spec = POPULATION
    municipality = fields.Field(
        attribute="municipality",
        column_name="municipality",
        widget=widgets.ForeignKeyWidget(Municipality, "code"),
    )
    date = fields.Field(attribute="date", column_name="date", widget=widgets.DateWidget("%Y-%m-%d"))
    inhabitants = fields.Field(attribute="population", column_name="inhabitants")

    class Meta:
        model = KeyFigure
        fields = ("municipality", "date", "inhabitants")
        import_id_fields = ("municipality", "date")
        use_bulk = True
        batch_size = BATCH_SIZE
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False

    def get_queryset(self):
        return KeyFigure.objects.filter(population__isnull=False).select_related("municipality")
