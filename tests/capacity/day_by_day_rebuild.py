"""The day-by-day snapshot rebuild that capacity/snapshots.py replaced (one grouped query per
change date), kept as the reference the set-based statement is held to."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum

from capacity.choices import TargetGroup
from capacity.lifecycle import change_dates as lifecycle_change_dates
from capacity.models import CapacityReport, Location, OccupancySnapshot
from municipalities.models import Municipality


@transaction.atomic
def rebuild_day_by_day(
    *, municipality_ids: Iterable[int], from_date: datetime.date | None = None
) -> int:
    """Rebuild the occupancy snapshots of these municipalities from `from_date` (None: all).

    Idempotent: the rows from `from_date` on are deleted and written again from the
    reports, so running it twice gives the same rows. Only locations operational on a date
    by the lifecycle rule (capacity/lifecycle.py) count. A snapshot is written for every date
    on which something changed in a municipality (a report date, an opening date, the day
    after a contract end, and `from_date` itself); each date costs one grouped SQL query over
    the latest report per location. Rows equal to the previous row are left out. Returns the
    number of rows written.
    """
    ids = sorted(set(municipality_ids))
    if not ids:
        return 0
    # Two workers recomputing the same municipality wait for each other (PostgreSQL).
    list(Municipality.objects.select_for_update().filter(pk__in=ids).values_list("pk"))

    change_dates: dict[datetime.date, set[int]] = defaultdict(set)
    reports = CapacityReport.objects.filter(location__municipality_id__in=ids)
    if from_date is not None:
        reports = reports.filter(date__gte=from_date)
    for municipality_id, day in reports.values_list("location__municipality_id", "date").distinct():
        change_dates[day].add(municipality_id)
    # Days on which a location's state changes by the calendar (lifecycle.change_dates).
    terms = (
        Location.objects.filter(municipality_id__in=ids)
        .filter(Q(opened_on__isnull=False) | Q(contract_end__isnull=False))
        .values_list("municipality_id", "opened_on", "contract_end")
        .distinct()
    )
    for municipality_id, opened_on, contract_end in terms:
        for day in lifecycle_change_dates(opened_on=opened_on, contract_end=contract_end):
            if from_date is None or day >= from_date:
                change_dates[day].add(municipality_id)
    if from_date is not None:
        change_dates[from_date].update(ids)

    rows: list[OccupancySnapshot] = []
    previous: dict[tuple[int, str], tuple] = {}
    # The rows valid on the day before from_date: a rebuilt row equal to one of them is not
    # written (the old row stays valid longer), so a nightly rebuild of an unchanged day adds
    # no rows.
    carried: dict[tuple[int, str], OccupancySnapshot] = {}
    if from_date is not None:
        for row in OccupancySnapshot.objects.filter(
            municipality_id__in=ids, date__lt=from_date
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=from_date)):
            key = (row.municipality_id, row.target_group)
            carried[key] = row
            previous[key] = _snapshot_figures(row)
    for day in sorted(change_dates):
        municipalities = change_dates[day]
        totals = {
            (row["location__municipality_id"], row["location__target_group"]): row
            for row in _totals_on(day, municipalities)
        }
        for municipality_id in sorted(municipalities):
            for group in TargetGroup.values:
                found = totals.get((municipality_id, group), {})
                figures = (
                    found.get("n", 0),
                    found.get("capacity_sum") or 0,
                    found.get("occupied_sum") or 0,
                    found.get("reserved_sum") or 0,
                    found.get("last"),
                )
                key = (municipality_id, group)
                # With nothing before it, a leading row of zeros says nothing.
                skip = previous.get(key) == figures or (key not in previous and figures[0] == 0)
                previous[key] = figures
                if skip:
                    continue
                rows.append(
                    OccupancySnapshot(
                        municipality_id=municipality_id,
                        target_group=group,
                        date=day,
                        locations=figures[0],
                        capacity=figures[1],
                        occupied=figures[2],
                        reserved=figures[3],
                        last_report_date=figures[4],
                    )
                )

    # valid_until is the date of the next row of the same municipality and target group.
    following: dict[tuple[int, str], datetime.date] = {}
    for row in reversed(rows):
        key = (row.municipality_id, row.target_group)
        row.valid_until = following.get(key)
        following[key] = row.date

    existing = OccupancySnapshot.objects.filter(municipality_id__in=ids)
    if from_date is None:
        existing.delete()
    else:
        existing.filter(date__gte=from_date).delete()
        # A row carried over now ends where its first rebuilt successor starts (or never).
        ended = []
        for key, row in carried.items():
            if row.valid_until != following.get(key):
                row.valid_until = following.get(key)
                ended.append(row)
        OccupancySnapshot.objects.bulk_update(ended, ["valid_until"], batch_size=1000)
    OccupancySnapshot.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _snapshot_figures(row: OccupancySnapshot) -> tuple:
    return (row.locations, row.capacity, row.occupied, row.reserved, row.last_report_date)


def _totals_on(day: datetime.date, municipality_ids: Iterable[int]):
    latest = CapacityReport.objects.filter(location=OuterRef("pk"), date__lte=day).order_by("-date")
    report_ids = (
        Location.objects.filter(municipality_id__in=list(municipality_ids))
        .operational_on(day)
        .annotate(report_id=Subquery(latest.values("pk")[:1]))
        .values("report_id")
    )
    return (
        CapacityReport.objects.filter(pk__in=report_ids)
        .values("location__municipality_id", "location__target_group")
        .annotate(
            n=Count("pk"),
            capacity_sum=Sum("capacity"),
            occupied_sum=Sum("occupied"),
            reserved_sum=Sum("reserved"),
            last=Max("date"),
        )
        .order_by()
    )
