"""The one way capacity reports are written: `reports_record`.

The weekly grid, the API, the CSV/XLSX imports (upload page, `manage.py import_data`, the
admin's import), the admin's change form and the phone team's placements all write reports
through `reports_record`, so every one of them gets the same rules:

1. every entry is validated (the model's rules and messages, and no report dated after the
   location's contract end), all or nothing: `ReportsRefused` names the entries;
2. the version check: an entry with `expected_version` (the version the editor read) is
   refused with StaleVersionError when the report changed since; with `seen` (what a grid
   showed) the whole batch is refused with `ReportsConflict`;
3. the plausibility checks: a jump against the previous report or the registered capacity
   (`plausibility.py`) and the modified z-score (`outliers.py`); an implausible entry is
   saved flagged with the reason, or, with `hold_implausible` (forms), nothing is saved and
   `ReportsHeld` carries the "Klopt dit?" questions;
4. the writes in bulk (`bulk_create_with_history`, one `executemany` UPDATE with history),
   each created or changed report with a history record naming the user and the reason;
   an entry equal to the report already there writes nothing;
5. one recompute request for the whole batch, after the commit.

Batch-first: a 130,000-row import costs a handful of queries per 2,000 locations (lookups,
the reports around the batch's dates, the history before them), never one per row.
`reports_check` is steps 1 and 3 without writing: the import's preview and the admin's form
run it to show their errors before anything is saved.
"""

import bisect
import datetime
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from imports.apply import update_with_history
from imports.spec import BATCH_SIZE, LOOKUP_CHUNK

from . import plausibility
from .choices import ReportSource
from .locking import (
    REPORT_CHANGED,
    SeenReport,
    StaleVersionError,
    changed_message,
    changed_since_seen,
    lock_locations,
)
from .models import CapacityReport, Location, report_rule_errors
from .outliers import outlier_reason
from .report_copy import ReportRow, copy_supported, insert_new_reports

OUTLIER_HISTORY = 12  # the most recent earlier reports that make up "the history"
COUNTS = ("capacity", "occupied", "reserved")
# The fields a report's own rules check; the rest are set by this module.
_CHECKED_FIELDS = ("date", *COUNTS)
_UNCHECKED = [f.name for f in CapacityReport._meta.fields if f.name not in _CHECKED_FIELDS]
MAX_COUNT = 2_147_483_647  # the count columns are integers (PostgreSQL's integer)
_UPDATED_FIELDS = [
    *COUNTS,
    "source",
    "reported_by",
    "flagged",
    "flag_reason",
    "version",
    "updated",
]

Recompute = Callable[[Iterable[int], datetime.date | None], None]


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """The counts of one location on one date, as a writer hands them in.

    `expected_version`: the version of the report on that date the editor read (API PUT and
    PATCH, the admin's change form); None writes without that check. `key` names the entry
    in errors and questions (an import's row number, a grid's location code); by default
    its position in the batch.
    """

    location_id: int
    date: datetime.date
    capacity: int | None
    occupied: int | None
    reserved: int | None = 0
    expected_version: int | None = None
    key: Hashable = None


class ReportsRefused(ValidationError):
    """One or more entries break a rule; `row_errors` maps an entry's key to
    {field: [messages]} (field "__all__" for the entry as a whole). Nothing was saved."""

    def __init__(self, row_errors: Mapping[Hashable, Mapping[str, list[str]]]):
        self.row_errors = {key: dict(fields) for key, fields in row_errors.items()}
        super().__init__(
            [
                f"{key}: {message}"
                for key, fields in self.row_errors.items()
                for messages in fields.values()
                for message in messages
            ]
        )


class ReportsConflict(ReportsRefused, StaleVersionError):
    """Someone else changed the figures of one or more locations after the page showed
    them; `locations` lists them. Nothing was saved."""

    def __init__(self, locations: Sequence[Location], keys: Mapping[int, Hashable]):
        self.locations = list(locations)
        self.summary = changed_message(self.locations)
        super().__init__(
            {
                keys[location.pk]: {
                    "__all__": [_("Iemand anders heeft deze cijfers intussen gewijzigd.")]
                }
                for location in self.locations
            }
        )


class ReportsHeld(ValidationError):
    """Implausible figures, held for the user to confirm; nothing was saved. `questions`
    maps an entry's key to its "Klopt dit?" questions, `jumps` to the jumps behind them."""

    def __init__(
        self,
        questions: Mapping[Hashable, list[str]],
        jumps: Mapping[Hashable, list[plausibility.Jump]],
    ):
        self.questions = dict(questions)
        self.jumps = dict(jumps)
        super().__init__([text for texts in self.questions.values() for text in texts])


class _Existing(tuple):
    """(pk, capacity, occupied, reserved, version, flagged) of the report already there."""

    __slots__ = ()

    @property
    def pk(self) -> int:
        return self[0]

    @property
    def counts(self) -> tuple[int, int, int]:
        return self[1], self[2], self[3]


_NO_ERRORS: Mapping[str, list[str]] = MappingProxyType({})


class Judged:
    """What the checks found for one entry (one per entry of a 130,000-row import: small)."""

    __slots__ = ("existing", "errors", "jumps", "reason")

    def __init__(self) -> None:
        # Shared empty defaults: most entries have neither errors nor jumps.
        self.existing: _Existing | None = None
        self.errors: Mapping[str, list[str]] = _NO_ERRORS
        self.jumps: Sequence[plausibility.Jump] = ()
        self.reason = ""  # why it is flagged ("" = not flagged)


@dataclass
class ReportsCheck:
    """The outcome of `reports_check`: per entry (same order) what the checks found."""

    entries: list[ReportEntry]
    judged: list[Judged]
    locations: dict[int, Location]

    def key(self, index: int) -> Hashable:
        key = self.entries[index].key
        return index if key is None else key

    @property
    def errors(self) -> dict[Hashable, dict[str, list[str]]]:
        return {self.key(i): j.errors for i, j in enumerate(self.judged) if j.errors}

    def is_unchanged(self, index: int) -> bool:
        judged, entry = self.judged[index], self.entries[index]
        return judged.existing is not None and judged.existing.counts == _counts(entry)

    def held(self) -> tuple[dict[Hashable, list[str]], dict[Hashable, list]]:
        """The questions (and jumps) of the entries that would change a figure implausibly."""
        questions, jumps = {}, {}
        for index, judged in enumerate(self.judged):
            if judged.jumps and not self.is_unchanged(index):
                name = self.locations[self.entries[index].location_id].name
                key = self.key(index)
                questions[key] = [plausibility.question(jump, name) for jump in judged.jumps]
                jumps[key] = judged.jumps
        return questions, jumps


@dataclass
class RecordResult:
    """What `reports_record` wrote. `reports`: the reports in the order of the entries
    (each with `created_now`), unless the caller asked not to keep them (imports)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: dict[Hashable, str] = field(default_factory=dict)  # key -> reason
    reports: list[CapacityReport] = field(default_factory=list)


def _counts(entry: ReportEntry) -> tuple:
    return entry.capacity, entry.occupied, 0 if entry.reserved is None else entry.reserved


def _new_row(entry: ReportEntry, judged) -> ReportRow:
    capacity, occupied, reserved = _counts(entry)
    return (
        entry.location_id,
        entry.date,
        capacity,
        occupied,
        reserved,
        bool(judged.reason),
        judged.reason or "",
    )


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def contract_ended_message(location: Location, date: datetime.date) -> str:
    return _(
        "Het contract van %(name)s is op %(contract_end)s geëindigd; een "
        "melding voor %(date)s telt niet mee. Verleng de einddatum van "
        "het contract op de locatiepagina als de locatie nog open is."
    ) % {
        "name": location.name,
        "contract_end": format(location.contract_end, "%d-%m-%Y"),
        "date": format(date, "%d-%m-%Y"),
    }


# Checking -------------------------------------------------------------------------------------


def _surroundings(entries: list[ReportEntry], location_ids: Sequence[int], *, lock: bool):
    """Per location: the reports already there from the batch's first date up to its last,
    {date: _Existing}, and the OUTLIER_HISTORY reports before that first date, as
    [(date, capacity, occupied, flagged)]. Two queries per LOOKUP_CHUNK locations; `lock`
    locks the reports in the batch's range until the transaction ends."""
    dates: dict[int, list[datetime.date]] = defaultdict(list)
    for entry in entries:
        dates[entry.location_id].append(entry.date)
    in_range: dict[int, dict[datetime.date, _Existing]] = defaultdict(dict)
    before: dict[int, list[tuple]] = defaultdict(list)
    for chunk in _chunks(location_ids, LOOKUP_CHUNK):
        first = min(min(dates[pk]) for pk in chunk)
        last = max(max(dates[pk]) for pk in chunk)
        reports = CapacityReport.objects.filter(
            location_id__in=chunk, date__gte=first, date__lte=last
        ).order_by()
        if lock:
            reports = reports.select_for_update()
        # Fetched whole: a server-side cursor (iterator()) makes PostgreSQL plan for the first
        # rows fast, walking the date index instead of looking up the chunk's locations.
        for location_id, day, *rest in reports.values_list(
            "location_id", "date", "pk", "capacity", "occupied", "reserved", "version", "flagged"
        ):
            in_range[location_id][day] = _Existing(rest)
        ranked = (
            CapacityReport.objects.filter(location_id__in=chunk, date__lt=first)
            .annotate(
                rank=Window(RowNumber(), partition_by=F("location_id"), order_by=F("date").desc())
            )
            .filter(rank__lte=OUTLIER_HISTORY)
            .values_list("location_id", "date", "capacity", "occupied", "flagged")
        )
        for location_id, *rest in ranked:
            before[location_id].append(tuple(rest))
    return in_range, before


def _judge_location(
    entries: list[ReportEntry],
    indices: list[int],
    judged: list[Judged],
    location: Location,
    in_range: dict[datetime.date, _Existing],
    before: list[tuple],
) -> None:
    """Plausibility of one location's valid entries, oldest first: each is judged against
    the reports before it, the batch's own earlier entries included (a history import)."""
    # (date, capacity, occupied, flagged) of the location's reports, oldest first.
    series = {row[0]: row for row in before}
    for day, existing in in_range.items():
        series[day] = (day, existing[1], existing[2], existing[5])
    days = sorted(series)
    for index in sorted(indices, key=lambda i: entries[i].date):
        entry = entries[index]
        at = bisect.bisect_left(days, entry.date)
        earlier = [series[day] for day in days[max(0, at - OUTLIER_HISTORY) : at]]
        previous = plausibility.Previous(*earlier[-1]) if earlier else None
        jumps = plausibility.jumps(
            capacity=entry.capacity,
            occupied=entry.occupied,
            previous=previous,
            registered=location.planned_capacity,
        )
        outlier = outlier_reason(
            capacity=entry.capacity,
            occupied=entry.occupied,
            history=[(row[1], row[2]) for row in earlier],
        )
        reasons = [plausibility.reason(jump) for jump in jumps]
        reason = " ".join([*reasons, outlier] if outlier else reasons)
        if reason:
            judged[index].jumps = jumps
            judged[index].reason = reason
        if entry.date not in series:
            bisect.insort(days, entry.date)
        series[entry.date] = (entry.date, entry.capacity, entry.occupied, bool(reason))


def _check(entries: list[ReportEntry], *, lock: bool) -> ReportsCheck:
    location_ids = sorted({entry.location_id for entry in entries})
    locations: dict[int, Location] = {}
    for chunk in _chunks(location_ids, LOOKUP_CHUNK):
        locations.update(Location.objects.in_bulk(chunk))
    in_range, before = _surroundings(entries, location_ids, lock=lock)
    judged = [Judged() for _entry in entries]
    probe = CapacityReport()  # for the field rules' own messages, when a value breaks them
    today = timezone.localdate()
    seen: set[tuple[int, datetime.date]] = set()
    valid: dict[int, list[int]] = defaultdict(list)
    for index, entry in enumerate(entries):
        result = judged[index]
        location = locations.get(entry.location_id)
        if location is None:
            result.errors = {"location": [_("Onbekende locatie.")]}
            continue
        errors: dict[str, list[str]] = {}
        counts = _counts(entry)
        # As Model.full_clean: the field rules, then the report's own rules, both reported.
        # Whole numbers from 0 to the column's maximum and a date pass the field rules, so
        # only other values take Django's (slow) field cleaning, for its messages.
        if not (
            isinstance(entry.date, datetime.date)
            and all(type(count) is int and 0 <= count <= MAX_COUNT for count in counts)
        ):
            probe.date = entry.date
            probe.capacity, probe.occupied, probe.reserved = counts
            try:
                probe.clean_fields(exclude=_UNCHECKED)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        capacity, occupied, reserved = counts
        rules = report_rule_errors(
            date=entry.date, capacity=capacity, occupied=occupied, reserved=reserved, today=today
        )
        for name, message in rules.items():
            errors.setdefault(name, []).append(message)
        if "date" not in errors and location.contract_end is not None:
            if entry.date > location.contract_end:
                errors["date"] = [contract_ended_message(location, entry.date)]
        if (entry.location_id, entry.date) in seen:
            errors.setdefault("date", []).append(
                _("%(name)s staat op %(date)s twee keer in deze invoer.")
                % {"name": location.name, "date": format(entry.date, "%d-%m-%Y")}
            )
        seen.add((entry.location_id, entry.date))
        result.existing = in_range[entry.location_id].get(entry.date)
        if errors:
            result.errors = errors
        else:
            valid[entry.location_id].append(index)
    for location_id, indices in valid.items():
        _judge_location(
            entries,
            indices,
            judged,
            locations[location_id],
            in_range[location_id],
            before[location_id],
        )
    return ReportsCheck(entries=entries, judged=judged, locations=locations)


def reports_check(*, entries: Iterable[ReportEntry]) -> ReportsCheck:
    """Validate the entries and judge their plausibility, writing nothing: what
    `reports_record` would refuse (`.errors`), flag (`.judged[i].reason`) and ask
    (`.held()`). For previews (the import's dry run) and forms that show errors first."""
    return _check(list(entries), lock=False)


# Writing --------------------------------------------------------------------------------------


def _claim_versions(entries: list[ReportEntry]) -> set[tuple[int, datetime.date]]:
    """Check and raise the version of every entry that carries `expected_version`, each in
    one conditional UPDATE (see locking.version_claim): of two editors who read the same
    version exactly one gets the report. StaleVersionError when it changed since."""
    claimed = set()
    for entry in entries:
        if entry.expected_version is None:
            continue
        rows = CapacityReport.objects.filter(
            location_id=entry.location_id, date=entry.date, version=entry.expected_version
        ).update(version=F("version") + 1)
        if rows != 1:
            raise StaleVersionError(REPORT_CHANGED)
        claimed.add((entry.location_id, entry.date))
    return claimed


def _check_seen(entries: list[ReportEntry], seen: Mapping[int, SeenReport | None]) -> None:
    by_date: dict[datetime.date, dict[int, Hashable]] = defaultdict(dict)
    for index, entry in enumerate(entries):
        by_date[entry.date][entry.location_id] = index if entry.key is None else entry.key
    locations = Location.objects.in_bulk({entry.location_id for entry in entries})
    changed, keys = [], {}
    for day, location_keys in sorted(by_date.items()):
        found = changed_since_seen(
            [locations[pk] for pk in sorted(location_keys) if pk in locations], day, seen
        )
        changed += found
        keys.update(location_keys)
    if changed:
        raise ReportsConflict(changed, keys)


@transaction.atomic
def reports_record(
    *,
    entries: Iterable[ReportEntry],
    source: str,
    user,
    reason: str | None = None,
    hold_implausible: bool = False,
    seen: Mapping[int, SeenReport | None] | None = None,
    recompute: Recompute | None = None,
    keep_reports: bool = True,
) -> RecordResult:
    """Record the counts of the entries (the module docstring lists what it does).

    `source` is a ReportSource value; `reason` the history's change reason (default: the
    source's label). `hold_implausible` (forms): an implausible entry saves nothing and
    raises ReportsHeld; without it (API, imports, admin, placements, and a form once the
    user confirmed) it is saved flagged. `seen`: per location id, the latest report on or
    before the entry's date the page showed (None: none). `recompute(municipality_ids,
    from_date)` receives the one recompute request (default: enqueue the Celery task after
    the commit; an import hands it to its run). `keep_reports=False` returns counts only,
    so a large import does not hold every report in memory.
    """
    from .services import recompute_enqueue

    entries = list(entries)
    result = RecordResult()
    if not entries:
        return result
    location_ids = sorted({entry.location_id for entry in entries})
    for chunk in _chunks(location_ids, LOOKUP_CHUNK):
        lock_locations(chunk)  # in pk order, chunk after chunk: no deadlocks
    if seen is not None:
        _check_seen(entries, seen)
    claimed = _claim_versions(entries)
    check = _check(entries, lock=True)
    if errors := check.errors:
        raise ReportsRefused(errors)
    if hold_implausible:
        questions, jumps = check.held()
        if questions:
            raise ReportsHeld(questions, jumps)

    history_user = user if user is not None and user.is_authenticated else None
    reason = (reason or ReportSource(source).label)[:100]
    now = timezone.now()
    new: list[int] = []
    changed: list[int] = []
    kept: dict[int, CapacityReport] = {}
    for index, judged in enumerate(check.judged):
        if check.is_unchanged(index):
            result.unchanged += 1
        elif judged.existing is None:
            new.append(index)
        else:
            changed.append(index)
        if judged.reason and not check.is_unchanged(index):
            result.flagged[check.key(index)] = judged.reason

    if new and not keep_reports and copy_supported():
        result.created += insert_new_reports(
            (_new_row(entries[index], check.judged[index]) for index in new),
            source=source,
            user_id=history_user.pk if history_user is not None else None,
            reason=reason,
            now=now,
        )
        new_in_batches = []
    else:
        new_in_batches = new
    for batch in _chunks(new_in_batches, BATCH_SIZE):
        reports = []
        for index in batch:
            entry, judged = entries[index], check.judged[index]
            capacity, occupied, reserved = _counts(entry)
            reports.append(
                CapacityReport(
                    location_id=entry.location_id,
                    date=entry.date,
                    capacity=capacity,
                    occupied=occupied,
                    reserved=reserved,
                    source=source,
                    reported_by=history_user,
                    flagged=bool(judged.reason),
                    flag_reason=judged.reason,
                )
            )
        bulk_create_with_history(
            reports,
            CapacityReport,
            batch_size=BATCH_SIZE,
            default_user=history_user,
            default_change_reason=reason,
        )
        result.created += len(reports)
        if keep_reports:
            for index, report in zip(batch, reports, strict=True):
                report.created_now = True
                kept[index] = report

    for batch in _chunks(changed, BATCH_SIZE):
        instances = CapacityReport.objects.in_bulk(
            [check.judged[index].existing.pk for index in batch]
        )
        reports = []
        for index in batch:
            entry, judged = entries[index], check.judged[index]
            report = instances[judged.existing.pk]
            report.capacity, report.occupied, report.reserved = _counts(entry)
            report.source = source
            report.reported_by = history_user
            report.flagged = bool(judged.reason)
            report.flag_reason = judged.reason
            if (entry.location_id, entry.date) not in claimed:
                report.version += 1  # locked since _check; a claimed one is raised already
            report.updated = now  # auto_now is not applied by an UPDATE of our own
            reports.append(report)
        update_with_history(
            reports,
            CapacityReport,
            _UPDATED_FIELDS,
            batch_size=BATCH_SIZE,
            user=history_user,
            reason=reason,
        )
        result.updated += len(reports)
        if keep_reports:
            for index, report in zip(batch, reports, strict=True):
                report.created_now = False
                kept[index] = report

    if keep_reports:
        unchanged = [i for i in range(len(entries)) if i not in kept]
        for batch in _chunks(unchanged, BATCH_SIZE):
            instances = CapacityReport.objects.in_bulk(
                [check.judged[index].existing.pk for index in batch]
            )
            for index in batch:
                report = instances[check.judged[index].existing.pk]
                report.created_now = False
                kept[index] = report
        for index, entry in enumerate(entries):
            report = kept[index]
            report.location = check.locations[entry.location_id]
            result.reports.append(report)

    written = new + changed
    if written:
        (recompute or recompute_enqueue)(
            {check.locations[entries[index].location_id].municipality_id for index in written},
            min(entries[index].date for index in written),
        )
    return result
