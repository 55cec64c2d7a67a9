"""What an import is made of: a spec per kind of file, the plan a validation fills, its errors.

A spec (`ImportSpec`) is kept beside the app whose model it fills (`municipalities/import_spec.py`,
`capacity/import_spec.py`, `capacity/housing/import_spec.py`) and named in the setting
`IMPORT_SPECS`; it says which columns a file has, how its rows are checked (`validate`) and how
a valid row is written (`build`/`apply` for the generic bulk writer in `apply.py`, or its own
`write`). `validation.plan_validate` runs a spec's validator over a file's rows into an
`ImportPlan`: the valid rows sorted into new, changed and unchanged, every bad row as a
`RowError` (spreadsheet row number, column, Dutch reason), and which municipalities' occupancy
must be recomputed once it is written.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cells import CellError

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


class ImportNotAllowed(PermissionDenied):
    """The user's role may not import this kind of file at all."""


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
    """A kind of import file: its columns, its validator and how valid rows are written."""

    kind: str
    label: str
    model: type[models.Model]
    columns: tuple[str, ...]
    optional_columns: tuple[str, ...]
    # validate(plan, rows, scope): reads (row number, {column: value}) pairs, adds errors
    # and classified entries to the plan.
    validate: Callable[["ImportPlan", Iterable[tuple[int, dict]], ImportScope], None]
    # describe(plan, entry) -> {"subject": ..., "values": ..., "was": ...} for the preview
    describe: Callable[["ImportPlan", Entry], dict]
    # build(entry, context) -> a new, unsaved instance (for the generic bulk writer)
    build: Callable[[Entry, WriteContext], models.Model] | None = None
    # apply(instance, entry, context) -> the field names it changed on an existing instance
    apply: Callable[[models.Model, Entry, WriteContext], list[str]] | None = None
    # write(plan, context): writes the plan itself instead of the generic bulk writer (capacity
    # reports go through the service every report write uses).
    write: Callable[["ImportPlan", WriteContext], None] | None = None
    # recompute_enqueue(municipality_ids, from_date, import_run_id=...): the one recompute
    # after a written plan that changed figures; it runs once the import has committed.
    recompute_enqueue: Callable[..., None] | None = None
    project_leaders: bool = False


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

    def read(self, row: int, column: str, reader: Callable[[Any], Any], value: Any) -> Any:
        """`reader(value)`, or None after recording its CellError as this row's error."""
        try:
            return reader(value)
        except CellError as exc:
            self.error(row, column, str(exc))
            return None

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
                {"row": row, "reason": str(reason)} for row, reason in self.flagged[:PREVIEW_ROWS]
            ]
            preview["flagged_count"] = len(self.flagged)
        return preview

    def errors_by_row(self) -> dict[int, dict[str, list[str]]]:
        by_row: dict[int, dict[str, list[str]]] = {}
        for error in self.errors:
            column = error.column or NON_FIELD_ERRORS
            by_row.setdefault(error.row, {}).setdefault(column, []).append(error.message)
        return by_row


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


def first_seen(seen: dict, key, row: int) -> int | None:
    """The row where `key` stood before in this file (None: first time; it is remembered)."""
    if key in seen:
        return seen[key]
    seen[key] = row
    return None
