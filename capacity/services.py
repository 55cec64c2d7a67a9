"""Writes: locations, capacity reports, the weekly counts and the occupancy aggregates.

Every entry point (pages, API, import, seed) calls these functions; every write of capacity
reports ends in `reporting.reports_record`, the one function that validates, checks
plausibility and versions, keeps the history and requests the recompute. They validate with
`full_clean()` (Dutch messages), run in one transaction, record who made the change for the
history, and enqueue the recompute of the occupancy aggregates after the commit.

Optimistic locking: locations and reports carry a `version` that every change raises. An edit
sends the version it showed; a row someone else saved in the meantime is refused with
StaleVersionError instead of silently overwritten. Writers of a location's reports lock the
location row first, so two of them never interleave.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality

from . import read_cache, snapshots
from .choices import ReportSource
from .locking import (
    LOCATION_CHANGED,
    REPORT_CHANGED,
    SeenReport,
    StaleVersionError,
    changed_since_seen,
    lock_locations,
    version_claim,
)
from .models import FACILITY_FIELDS, CapacityReport, Location, OccupancyThreshold
from .outliers import outlier_reason  # noqa: F401 (tests and callers import it from here)
from .reporting import (
    ReportEntry,
    ReportsConflict,
    ReportsRefused,
    reports_check,
    reports_record,
)

LOCATION_FIELDS = (
    "code",
    "name",
    "municipality",
    "place",
    "type",
    "target_group",
    "status",
    "opened_on",
    "contract_end",
    "planned_capacity",
    "latitude",
    "longitude",
    "notes",
    "contact_name",
    "contact_phone",
    "contact_email",
    *FACILITY_FIELDS,
)


# Recompute ----------------------------------------------------------------------------------


def recompute_enqueue(
    municipality_ids: Iterable[int],
    from_date: datetime.date | None = None,
    *,
    import_run_id: int | None = None,
) -> None:
    """Recompute the occupancy of these municipalities from `from_date`, and its follow-ups,
    once the current transaction commits (right away outside a transaction). Forms, API,
    admin and imports all call this, so the worker sees committed figures only; an import
    passes its run, which the task stamps when done."""
    from .tasks import recompute_occupancy

    ids = sorted(set(municipality_ids))
    if not ids:
        return
    iso = from_date.isoformat() if from_date else None
    run = {} if import_run_id is None else {"import_run_id": import_run_id}
    transaction.on_commit(lambda: recompute_occupancy.delay(ids, iso, **run))


def occupancy_recompute(
    *, municipality_ids: Iterable[int], from_date: datetime.date | None = None
) -> int:
    """Rebuild the occupancy snapshots of these municipalities from `from_date` (None: all).

    Idempotent: the rows from `from_date` on are deleted and written again from the
    reports, so running it twice gives the same rows. Only locations operational on a date
    by the lifecycle rule (capacity/lifecycle.py) count. A snapshot is written for every date
    on which something changed in a municipality (a report date, an opening date, the day
    after a contract end, and `from_date` itself), and only where it differs from the row
    before it; one set-based statement (capacity/snapshots.py) writes them all. Returns the
    number of rows written. The regions' cached reads (`read_cache`) are replaced inside the
    transaction and again after it, when it was the outermost one (the worker's case).
    """
    ids = sorted(set(municipality_ids))
    if not ids:
        return 0
    written, regions = _occupancy_rebuild(ids, from_date)
    read_cache.regions_changed(regions)
    return written


@transaction.atomic
def _occupancy_rebuild(ids: list[int], from_date: datetime.date | None) -> tuple[int, set[str]]:
    # Two workers recomputing the same municipality wait for each other (PostgreSQL).
    regions = (
        Municipality.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .values_list("safety_region__code", flat=True)
    )
    regions = {code for code in regions if code}
    written = snapshots.rebuild(municipality_ids=ids, from_date=from_date)
    read_cache.regions_changed(regions)
    return written, regions


# Locations ----------------------------------------------------------------------------------


def _record_change(instance, *, user, reason: str) -> None:
    # Read by django-simple-history; an API request authenticated by token is not yet
    # authenticated when the history middleware runs, so name the user explicitly.
    instance._history_user = user if user is not None and user.is_authenticated else None
    instance._change_reason = reason


@transaction.atomic
def location_create(*, user, reason: str = "formulier", **fields) -> Location:
    """Create a location from the fields in LOCATION_FIELDS (`municipality` an instance)."""
    unknown = set(fields) - set(LOCATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown location fields: {', '.join(sorted(unknown))}")
    location = Location(**fields)
    location.full_clean()
    _record_change(location, user=user, reason=reason)
    location.save()
    return location


def _counting_fields(location: Location) -> tuple:
    """What decides whether and where a location's reports count (lifecycle rule)."""
    return (
        location.municipality_id,
        location.target_group,
        location.status,
        location.opened_on,
        location.contract_end,
    )


@transaction.atomic
def location_update(
    *,
    location: Location,
    user,
    expected_version: int | None = None,
    reason: str = "formulier",
    **fields,
) -> Location:
    """Change a location. With `expected_version` (the version the editor saw) a change
    someone else saved in the meantime is refused with StaleVersionError instead of
    overwritten; the check and the version bump are one conditional UPDATE.

    A change of municipality, target group, status, opening date or contract end changes
    past totals (the lifecycle rule), so the aggregates of the old and new municipality are
    recomputed in full. Returns the saved
    location (a fresh instance; `location` itself is left as it was).
    """
    unknown = set(fields) - set(LOCATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown location fields: {', '.join(sorted(unknown))}")
    claimed = version_claim(Location, pk=location.pk, expected=expected_version)
    if not claimed and expected_version is not None:
        raise StaleVersionError(LOCATION_CHANGED)
    current = Location.objects.get(pk=location.pk)  # at its new version, locked
    before = _counting_fields(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    _record_change(current, user=user, reason=reason)
    current.save()
    after = _counting_fields(current)
    if before != after:
        recompute_enqueue({before[0], after[0]}, None)
    return current


# Capacity reports ---------------------------------------------------------------------------
# Thin wrappers around `reporting.reports_record`, the one way reports are written: each
# turns its caller's shape into entries and the batch's errors back into its own.


def _single(key, exc: ReportsRefused) -> ValidationError:
    # One entry: its {field: [messages]}, as the forms and the API know it from full_clean().
    return ValidationError(exc.row_errors.get(key) or exc.messages)


def report_submit(
    *,
    location: Location,
    date: datetime.date,
    capacity: int,
    occupied: int,
    reserved: int = 0,
    source: str,
    user,
) -> CapacityReport:
    """Record the counts of a location on a date; a second report that day replaces the
    figures of the first. Impossible figures (or a date after the contract end) raise a
    ValidationError with Dutch messages per field and save nothing; an implausible or
    unusual figure is saved and flagged for follow-up. `report.created_now` tells whether
    a new report was made."""
    entry = ReportEntry(
        location_id=location.pk,
        date=date,
        capacity=capacity,
        occupied=occupied,
        reserved=reserved,
        key=location.code,
    )
    try:
        result = reports_record(entries=[entry], source=source, user=user)
    except ReportsRefused as exc:
        raise _single(location.code, exc) from exc
    return result.reports[0]


@transaction.atomic
def report_confirm_unchanged(
    *,
    location: Location,
    date: datetime.date,
    user,
    source: str = ReportSource.FORM,
    seen: Mapping[int, SeenReport | None] | None = None,
) -> CapacityReport:
    """Confirm a location's latest figures for `date`: a report on `date` with the counts of
    the latest earlier report. A report already made on `date` is confirmed as it is.

    With `seen` (per location id, the latest report the page showed), figures someone else
    changed since are not confirmed unseen: StaleVersionError. Confirming is itself the
    user's word that the figures hold, so it is never held for a "Klopt dit?"."""
    lock_locations([location.pk])
    if seen is not None and changed_since_seen([location], date, seen):
        raise StaleVersionError(
            _(
                "Iemand anders heeft intussen de cijfers van %(name)s gewijzigd; "
                "er is niets bevestigd. Controleer de nieuwe cijfers en bevestig "
                "opnieuw."
            )
            % {"name": location.name}
        )
    existing = CapacityReport.objects.filter(location=location, date=date).first()
    if existing is not None:
        existing.created_now = False
        return existing
    previous = (
        CapacityReport.objects.filter(location=location, date__lt=date).order_by("-date").first()
    )
    if previous is None:
        raise ValidationError(
            _(
                "%(name)s heeft nog geen eerdere melding om als ongewijzigd te "
                "bevestigen; vul de aantallen in."
            )
            % {"name": location.name}
        )
    return report_submit(
        location=location,
        date=date,
        capacity=previous.capacity,
        occupied=previous.occupied,
        reserved=previous.reserved,
        source=source,
        user=user,
    )


@transaction.atomic
def report_flag_clear(*, report: CapacityReport, user) -> CapacityReport:
    """A coordinator checked a flagged report: keep the figures, drop the flag."""
    report = CapacityReport.objects.select_for_update().get(pk=report.pk)
    if report.flagged:
        report.flagged = False
        report.version += 1
        _record_change(report, user=user, reason="gecontroleerd")
        report.save(update_fields=["flagged", "version", "updated"])
    return report


REPORT_COUNTS = ("capacity", "occupied", "reserved")


@transaction.atomic
def report_update(
    *,
    report: CapacityReport,
    expected_version: int,
    user,
    source: str = ReportSource.API,
    **counts: int,
) -> CapacityReport:
    """Change the counts of an existing report (any of capacity, occupied and reserved; the
    others keep their value). `expected_version` is the version the editor read: when
    someone else saved the report since, StaleVersionError is raised and nothing changes.
    The check and the version bump are one conditional UPDATE, so of two editors who read
    the same version exactly one succeeds. Impossible figures raise a ValidationError."""
    unknown = set(counts) - set(REPORT_COUNTS)
    if unknown:
        raise TypeError(f"unknown report fields: {', '.join(sorted(unknown))}")
    # Every writer of a location's reports locks the location first: the counts read here
    # stay the report's until the write.
    lock_locations([report.location_id])
    current = CapacityReport.objects.filter(pk=report.pk).first()
    if current is None:
        raise StaleVersionError(REPORT_CHANGED)
    entry = ReportEntry(
        location_id=current.location_id,
        date=current.date,
        **{name: counts.get(name, getattr(current, name)) for name in REPORT_COUNTS},
        expected_version=expected_version,
        key=current.pk,
    )
    try:
        result = reports_record(entries=[entry], source=source, user=user)
    except ReportsRefused as exc:
        raise _single(current.pk, exc) from exc
    return result.reports[0]


@dataclass(frozen=True)
class WeeklyRow:
    location: Location
    capacity: int
    occupied: int
    reserved: int = 0


# The grid's names for the batch errors of `reports_record`: per location code.
WeeklyCountsError = ReportsRefused
WeeklyCountsConflict = ReportsConflict


@transaction.atomic
def weekly_counts_submit(
    *,
    municipality: Municipality,
    date: datetime.date,
    rows: Sequence[WeeklyRow],
    user,
    source: str = ReportSource.FORM,
    seen: Mapping[int, SeenReport | None] | None = None,
    hold_implausible: bool = False,
) -> list[CapacityReport]:
    """Save the counts of several locations of one municipality on one date, all or nothing:
    every row is validated first; with any error nothing is saved and WeeklyCountsError
    carries the messages per location code. One recompute is enqueued for the whole grid.

    `seen` holds, per location id, the latest report on or before `date` the grid showed
    (None: it showed none). When someone else changed the figures of a submitted row since,
    the whole grid is refused with WeeklyCountsConflict naming those locations. With
    `hold_implausible` an implausible row saves nothing and raises ReportsHeld with the
    "Klopt dit?" questions per location code; the grid asks, and sends the rows again
    without it once the user confirmed."""
    foreign = {
        row.location.code: {
            "__all__": [
                _("%(name)s hoort niet bij gemeente %(municipality)s.")
                % {"name": row.location.name, "municipality": municipality.name}
            ]
        }
        for row in rows
        if row.location.municipality_id != municipality.pk
    }
    entries = [
        ReportEntry(
            location_id=row.location.pk,
            date=date,
            capacity=row.capacity,
            occupied=row.occupied,
            reserved=row.reserved,
            key=row.location.code,
        )
        for row in rows
        if row.location.code not in foreign
    ]
    if foreign:
        raise ReportsRefused({**reports_check(entries=entries).errors, **foreign})
    result = reports_record(
        entries=entries,
        source=source,
        user=user,
        seen=seen,
        hold_implausible=hold_implausible,
    )
    return result.reports


# Thresholds ---------------------------------------------------------------------------------


@transaction.atomic
def thresholds_update(*, values: dict[str, tuple[Decimal, Decimal]], user) -> None:
    """Set (warning, tipping point) per target group; all or nothing."""
    for target_group, (warning, tipping_point) in values.items():
        threshold = OccupancyThreshold.objects.filter(target_group=target_group).first()
        threshold = threshold or OccupancyThreshold(target_group=target_group)
        threshold.warning = warning
        threshold.tipping_point = tipping_point
        threshold.full_clean()
        _record_change(threshold, user=user, reason="formulier")
        threshold.save()
