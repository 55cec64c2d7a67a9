"""CSV/XLSX imports: the machinery every kind of import file shares.

Every way in (the admin's import, the upload page, `manage.py import_data`) runs the same
validator for a kind of file and the same bulk writer:

1. `plan_validate` reads every row, checks it against lookups fetched up front (a handful of
   queries whatever the number of rows) and against the model's own rules, and sorts the
   valid rows into new, changed and unchanged. It writes nothing. Every bad row is reported
   with its spreadsheet row number (the header is row 1), its column and a Dutch reason.
2. `plan_write` writes a plan that has no errors in bulk (`bulk_create_with_history`, and
   `update_with_history` for changed rows), so every created or changed row still gets a
   history record naming the user and the file. The caller runs it inside the transaction
   that validated.

The spec of a kind (`ImportSpec`) bundles its columns, its validator and how a row becomes a
model instance; the specs and the admin's resources are in each app's `resources.py`. This
module sits in the lowest app so capacity's resources can build on it.
"""

import datetime
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from .models import Municipality, Role
from .roles import has_role, membership_of

BATCH_SIZE = 2000
# SQLite allows 32,766 parameters per query; lookups by a list of ids stay well below.
LOOKUP_CHUNK = 2000
PREVIEW_ROWS = 10
FILE_ROW = 0  # errors about the file as a whole, not one row


# Errors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == FILE_ROW:
            return _("bestand: %(message)s") % {"message": self.message}
        if not self.column:
            return _("rij %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("rij %(row)s, kolom %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self) -> dict:
        # Stored as JSON: a translated (lazy) message becomes text in the language of now.
        return {"row": self.row, "column": self.column, "message": str(self.message)}


class CellError(ValueError):
    """A value that cannot be read; the message is Dutch and meant for the person importing."""


class ImportNotAllowed(PermissionDenied):
    """The user's role may not import this kind of file at all."""


# Reading cells -----------------------------------------------------------------------------


def normalize_header(value: Any) -> str:
    return str(value or "").replace("\ufeff", "").strip().lower()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_DUTCH_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")


def parse_date(value: Any) -> datetime.date:
    """ISO `2024-01-31`, Dutch `31-01-2024` or `31-1-2024`, or a date cell of a spreadsheet."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        raise CellError(_("Vul een datum in."))
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DUTCH_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        raise CellError(
            _("%(text)s is geen datum; schrijf bijvoorbeeld 31-01-2024 of 2024-01-31.")
            % {"text": text}
        )
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(_("De datum %(text)s bestaat niet.") % {"text": text}) from None


def parse_optional_date(value: Any) -> datetime.date | None:
    return None if is_blank(value) else parse_date(value)


# `60` and `60.0` (a number from a spreadsheet) are whole numbers; `1.000` is refused rather
# than guessed at (a thousands separator, or one with three decimals?).
_WHOLE = re.compile(r"[+-]?\d+(?:\.0{1,2})?")
_FRACTION = re.compile(r"[+-]?\d*[.,]\d+")


def parse_count(value: Any, *, negative_message: str) -> int:
    """A whole, non-negative number."""
    if is_blank(value):
        raise CellError(_("Vul een aantal in."))
    if isinstance(value, bool):
        raise CellError(_("%(value)s is geen getal.") % {"value": value})
    if isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal):
        if not math.isfinite(value) or value != int(value):
            raise CellError(_("%(value)s is geen heel getal.") % {"value": value})
        number = int(value)
    else:
        text = cell_text(value)
        if _WHOLE.fullmatch(text):
            number = int(text.split(".")[0])
        elif _FRACTION.fullmatch(text):
            raise CellError(
                _("%(text)s is geen heel getal (schrijf een aantal zonder punt of komma).")
                % {"text": text}
            )
        else:
            raise CellError(_("%(text)s is geen getal.") % {"text": text})
    if number < 0:
        raise CellError(negative_message)
    return number


def parse_decimal(value: Any) -> Decimal | None:
    """A decimal number such as a coordinate: `52.2215`, or `52,2215` as Dutch Excel writes it."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("%(value)s is geen getal.") % {"value": value})
    text = str(value) if isinstance(value, int | float | Decimal) else cell_text(value)
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("%(value)s is geen getal.") % {"value": cell_text(value)}) from None
    if not number.is_finite():
        raise CellError(_("%(value)s is geen getal.") % {"value": cell_text(value)})
    return number


def parse_choice(value: Any, choices: type[models.TextChoices]) -> str:
    """A value of a fixed vocabulary, by its API value (`cno`) or its Dutch label."""
    text = cell_text(value)
    if not text:
        raise CellError(
            _("Vul een waarde in; kies uit: %(list)s.") % {"list": ", ".join(choices.values)}
        )
    lookup = {str(v).lower(): v for v in choices.values}
    lookup |= {str(label).lower(): v for v, label in choices.choices}
    try:
        return lookup[text.lower()]
    except KeyError:
        raise CellError(
            _("Onbekende waarde %(text)s; kies uit: %(list)s.")
            % {"text": repr(text), "list": ", ".join(choices.values)}
        ) from None


# Who may import what -----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportScope:
    """The municipalities a user may import rows for: a region, one municipality, or all."""

    region_id: int | None = None
    region_name: str = ""
    municipality_id: int | None = None
    municipality_name: str = ""

    def refusal(self, *, municipality_id: int | None, region_id: int | None, name: str) -> str:
        """Why a row about municipality `name` is outside this scope ("" when it is not)."""
        if self.municipality_id is not None and municipality_id != self.municipality_id:
            return _(
                "Gemeente %(name)s is niet uw gemeente; u mag alleen regels van "
                "%(municipality_name)s importeren."
            ) % {"name": name, "municipality_name": self.municipality_name}
        if self.region_id is not None and region_id != self.region_id:
            return _("Gemeente %(name)s hoort niet bij uw regio (%(region_name)s).") % {
                "name": name,
                "region_name": self.region_name,
            }
        return ""


UNRESTRICTED = ImportScope()


def import_scope_for(user, *, spec: "ImportSpec") -> ImportScope:
    """The scope `user` imports a file of `spec` in; ImportNotAllowed when their role may not.

    No user (an operator running `manage.py import_data` without --user) and superusers in
    the admin import everything. Coordinators import for their safety region; project
    leaders only rows of their own municipality, and only the kinds that allow them.
    """
    if user is None or user.is_superuser:
        return UNRESTRICTED
    membership = membership_of(user)
    if membership is not None and has_role(user, Role.COORDINATOR):
        region = membership.safety_region
        return ImportScope(region_id=region.pk, region_name=region.name)
    if (
        spec.project_leaders
        and membership is not None
        and membership.municipality_id is not None
        and has_role(user, Role.PROJECT_LEADER)
    ):
        municipality = membership.municipality
        return ImportScope(
            region_id=municipality.safety_region_id,
            region_name=membership.safety_region.name,
            municipality_id=municipality.pk,
            municipality_name=municipality.name,
        )
    raise ImportNotAllowed(
        _("Uw rol mag geen bestanden met %(kind)s importeren.") % {"kind": spec.label.lower()}
    )


def may_import(user, *, spec: "ImportSpec") -> bool:
    try:
        import_scope_for(user, spec=spec)
    except ImportNotAllowed:
        return False
    return True


# Plans ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class Entry:
    """One valid row: its row number, the new values, and for an existing row its pk and the
    values it had (kind-specific shapes, kept small: a 130,000-row file holds 130,000)."""

    row: int
    values: Any
    pk: int | None = None
    old: Any = None


@dataclass
class WriteContext:
    user: Any
    reason: str
    now: datetime.datetime = field(default_factory=timezone.now)

    @property
    def history_user(self):
        user = self.user
        return user if user is not None and user.is_authenticated else None


@dataclass(frozen=True)
class ImportSpec:
    """A kind of import file: its columns, its validator and how rows become instances."""

    kind: str
    label: str
    model: type[models.Model]
    columns: tuple[str, ...]
    optional_columns: tuple[str, ...]
    # validate(plan, rows, scope): reads (row number, {column: value}) pairs, adds errors
    # and classified entries to the plan.
    validate: Callable[["ImportPlan", Iterable[tuple[int, dict]], ImportScope], None]
    # build(entry, context) -> a new, unsaved instance
    build: Callable[[Entry, WriteContext], models.Model]
    # apply(instance, entry, context) -> the field names it changed on an existing instance
    apply: Callable[[models.Model, Entry, WriteContext], list[str]]
    # describe(plan, entry) -> {"subject": ..., "values": ..., "was": ...} for the preview
    describe: Callable[["ImportPlan", Entry], dict]
    project_leaders: bool = False
    # write(plan, context): writes the plan itself instead of the generic bulk writer (capacity
    # reports go through the service every report write uses); build and apply then only
    # serve the admin's preview.
    write: Callable[["ImportPlan", WriteContext], None] | None = None


@dataclass
class ImportPlan:
    spec: ImportSpec
    columns: list[str] = field(default_factory=list)
    created: list[Entry] = field(default_factory=list)
    updated: list[Entry] = field(default_factory=list)
    unchanged: list[Entry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    # The occupancy of these municipalities changes; recompute from `recompute_from`
    # (None: from the first report on).
    recompute_municipality_ids: set[int] = field(default_factory=set)
    recompute_from: datetime.date | None = None
    recompute_all: bool = False
    # Kind-specific lookups the preview needs (for example location id -> code).
    context: dict = field(default_factory=dict)
    # Rows that are imported but flagged for follow-up: (row number, reason).
    flagged: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row=row, column=column, message=message))

    def flag(self, row: int, reason: str) -> None:
        self.flagged.append((row, reason))

    def recompute(self, municipality_ids: Iterable[int], from_date: datetime.date | None) -> None:
        """Mark municipalities for the recompute; `from_date` None means from the start."""
        self.recompute_municipality_ids.update(municipality_ids)
        if from_date is None:
            self.recompute_all = True
            self.recompute_from = None
        elif not self.recompute_all:
            current = self.recompute_from
            self.recompute_from = from_date if current is None else min(current, from_date)

    def preview(self) -> dict[str, list[dict] | int]:
        preview: dict[str, list[dict] | int] = {
            name: [
                {"row": entry.row, **self.spec.describe(self, entry)}
                for entry in entries[:PREVIEW_ROWS]
            ]
            for name, entries in (
                ("created", self.created),
                ("updated", self.updated),
                ("unchanged", self.unchanged),
            )
        }
        if self.flagged:
            preview["flagged"] = [
                {"row": row, "reason": reason} for row, reason in self.flagged[:PREVIEW_ROWS]
            ]
            preview["flagged_count"] = len(self.flagged)
        return preview

    def errors_by_row(self) -> dict[int, dict[str, list[str]]]:
        by_row: dict[int, dict[str, list[str]]] = {}
        for error in self.errors:
            column = error.column or NON_FIELD_ERRORS
            by_row.setdefault(error.row, {}).setdefault(column, []).append(error.message)
        return by_row


def plan_validate(
    spec: ImportSpec,
    *,
    header: Sequence[Any],
    rows: Iterable[tuple[int, Sequence[Any]]],
    scope: ImportScope,
) -> ImportPlan:
    """Check a file's rows (spreadsheet row number, cells) against the rules of `spec`.

    Rows are consumed as they come, so a streamed file is read once. Blank rows are
    skipped. With missing or doubled columns no row is read.
    """
    columns = [normalize_header(name) for name in header]
    plan = ImportPlan(spec=spec, columns=columns)
    missing = [name for name in spec.columns if name not in columns]
    for name in missing:
        plan.error(1, name, _("Deze kolom ontbreekt."))
    seen: set[str] = set()
    for name in columns:
        if name and name in seen:
            plan.error(1, name, _("Deze kolom staat twee keer in de kopregel."))
        seen.add(name)
    if plan.errors:
        return plan
    known = set(spec.columns) | set(spec.optional_columns)
    plan.ignored_columns = [name for name in columns if name and name not in known]
    wanted = [(index, name) for index, name in enumerate(columns) if name in known]

    def as_dicts() -> Iterator[tuple[int, dict]]:
        for number, cells in rows:
            width = len(cells)
            values = {name: cells[index] if index < width else None for index, name in wanted}
            if all(is_blank(value) for value in values.values()):
                continue
            yield number, values

    spec.validate(plan, as_dicts(), scope)
    order = {name: index for index, name in enumerate(columns)}
    plan.errors.sort(key=lambda error: (error.row, order.get(error.column, -1)))
    return plan


def _batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def plan_write(plan: ImportPlan, *, user, reason: str, batch_size: int = BATCH_SIZE) -> None:
    """Write a validated plan in bulk, each created or changed row with a history record.

    Run it inside the transaction that validated the plan. History change reasons are at
    most 100 characters (django-simple-history's column).
    """
    if not plan.ok:
        raise ValueError("a plan with errors is never written")
    spec, model = plan.spec, plan.spec.model
    context = WriteContext(user=user, reason=reason[:100])
    if spec.write is not None:
        spec.write(plan, context)
        return
    for batch in _batches(plan.created, batch_size):
        bulk_create_with_history(
            [spec.build(entry, context) for entry in batch],
            model,
            batch_size=batch_size,
            default_user=context.history_user,
            default_change_reason=context.reason,
        )
    for batch in _batches(plan.updated, batch_size):
        # Locked until the import commits: a versioned row (apply() raises `version`) then
        # cannot be changed by someone else between this read and the UPDATE, so the version
        # the import writes is always one above the last saved one.
        instances = (
            model._default_manager.select_for_update()
            .order_by("pk")
            .in_bulk([entry.pk for entry in batch])
        )
        changed: set[str] = set()
        objects = []
        for entry in batch:
            instance = instances[entry.pk]
            changed.update(spec.apply(instance, entry, context))
            objects.append(instance)
        update_with_history(
            objects,
            model,
            sorted(changed),
            batch_size=batch_size,
            user=context.history_user,
            reason=context.reason,
        )


def update_with_history(
    objects: Sequence[models.Model],
    model: type[models.Model],
    field_names: Sequence[str],
    *,
    batch_size: int,
    user,
    reason: str,
) -> None:
    """Save `field_names` of existing `objects` and add a history record for each.

    What django-simple-history's `bulk_update_with_history` does, but with one parametrised
    UPDATE per row sent through `executemany` instead of Django's `bulk_update`, whose
    CASE WHEN per row and field costs seconds per thousand rows (measured: 13,000 changed
    reports took 17 s on SQLite and 30 s on PostgreSQL that way).
    """
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in field_names]
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(model._meta.db_table),
        ", ".join(f"{quote(field.column)} = %s" for field in fields),
        quote(model._meta.pk.column),
    )
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        + [obj.pk]
        for obj in objects
    ]
    with transaction.atomic(using=connection.alias, savepoint=False):
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        get_history_manager_for_model(model).bulk_history_create(
            objects,
            batch_size=batch_size,
            update=True,
            default_user=user,
            default_change_reason=reason,
        )


def classify(plan: ImportPlan, entry: Entry, *, existing_pk: int | None, old: Any) -> str:
    """File `entry` as created, updated or unchanged; `old` is None for a new row, a falsy
    value for an existing row that does not change, and the old values otherwise."""
    if existing_pk is None:
        plan.created.append(entry)
        return "created"
    entry.pk = existing_pk
    if old:
        entry.old = old
        plan.updated.append(entry)
        return "updated"
    plan.unchanged.append(entry)
    return "unchanged"


def clean_errors(exc: ValidationError) -> Iterator[tuple[str, str]]:
    """(column, message) pairs of a model's ValidationError; NON_FIELD_ERRORS -> ""."""
    for name, messages in exc.message_dict.items():
        for message in messages:
            yield ("" if name == NON_FIELD_ERRORS else name), message


def sniff_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def municipality_lookup() -> dict[str, tuple[int, int, str]]:
    """CBS code -> (pk, safety region pk, name) of every municipality, in one query."""
    return {
        code: (pk, region_id, name)
        for code, pk, region_id, name in Municipality.objects.values_list(
            "code", "pk", "safety_region_id", "name"
        )
    }
