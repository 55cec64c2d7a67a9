"""Checking a file's rows against the rules of its kind, before anything is written.

`plan_validate` reads every row once (a streamed file is never held whole), checks the header,
and hands the rows, as {column: value} per spreadsheet row number, to the spec's validator,
which checks them against lookups fetched up front (a handful of queries whatever the number of
rows) and the model's own rules. It writes nothing.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from .cells import is_blank, normalize_header
from .spec import ImportPlan, ImportScope, ImportSpec


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
