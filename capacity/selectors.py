"""Reads of locations, occupancy and the capacity outlook.

Other apps and the dashboard call these; every function runs a fixed number of SQL queries
whatever the number of locations or reports. "As of date D" means: each location's latest
report on or before D, for locations operational on D by the lifecycle rule
(`lifecycle.py`). The per
municipality and target group totals come from the snapshots the worker precomputes
(`services.occupancy_recompute`).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from municipalities.models import Municipality

from .choices import LocationStatus, TargetGroup
from .figures import FigureSet
from .lifecycle import UPCOMING, EffectiveStatus, operational_q, reporting_q
from .models import (
    DEFAULT_TIPPING_POINT,
    DEFAULT_WARNING,
    CapacityReport,
    Location,
    LocationQuerySet,
    OccupancySnapshot,
    OccupancyThreshold,
)

# Thresholds ---------------------------------------------------------------------------------


def thresholds_by_target_group() -> dict[str, tuple[Decimal, Decimal]]:
    """(warning, tipping point) per target group; the seeds' 92% / 95% where none is set."""
    found = {
        row["target_group"]: (row["warning"], row["tipping_point"])
        for row in OccupancyThreshold.objects.values("target_group", "warning", "tipping_point")
    }
    return {
        group: found.get(group, (DEFAULT_WARNING, DEFAULT_TIPPING_POINT))
        for group in TargetGroup.values
    }


def _figure_set(
    row: dict, thresholds: dict[str, tuple[Decimal, Decimal]], key: str = ""
) -> FigureSet:
    return FigureSet.measured(
        row["target_group"],
        thresholds[row["target_group"]],
        key=key,
        operational=row["operational"] or 0,
        occupied=row["occupied"] or 0,
        reserved=row["reserved"] or 0,
        locations=row["locations"] or 0,
        last_report_date=row["last_report_date"],
    )


# Occupancy from the precomputed snapshots ---------------------------------------------------


def _region(region_code: str | None) -> str:
    return region_code or settings.HOME_REGION


def _valid_on(on: datetime.date) -> Q:
    return Q(date__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gt=on))


def snapshots_as_of(*, on: datetime.date, region_code: str | None = None) -> QuerySet:
    """The snapshot row valid on `on` for every (municipality, target group) of the region."""
    return OccupancySnapshot.objects.filter(
        _valid_on(on), municipality__safety_region__code=_region(region_code)
    )


SUMS = {
    "locations": Sum("locations"),
    "operational": Sum("capacity"),
    "occupied": Sum("occupied"),
    "reserved": Sum("reserved"),
    "last_report_date": Max("last_report_date"),
}


def occupancy_by_municipality(
    *,
    on: datetime.date,
    region_code: str | None = None,
    thresholds: dict[str, tuple[Decimal, Decimal]] | None = None,
) -> list[FigureSet]:
    """A figure set per municipality (`key`: its CBS code) and target group with at least one
    counted location, as of `on`, ordered by municipality name, then target group. Two
    queries; one when the caller passes the `thresholds` it already read."""
    thresholds = thresholds if thresholds is not None else thresholds_by_target_group()
    rows = (
        snapshots_as_of(on=on, region_code=region_code)
        .filter(locations__gt=0)
        .values(
            "target_group",
            "locations",
            "occupied",
            "reserved",
            "last_report_date",
            operational=F("capacity"),
            municipality_code=F("municipality__code"),
        )
        .order_by("municipality__name", "target_group")
    )
    return [_figure_set(row, thresholds, key=row["municipality_code"]) for row in rows]


def municipalities_with_occupancy(
    *,
    on: datetime.date,
    region_code: str | None = None,
    thresholds: dict[str, tuple[Decimal, Decimal]],
) -> list[tuple[dict, list[FigureSet]]]:
    """The region's municipalities by name, each as {code, name, population (valid on
    `on`)} with its figure sets (`key`: its code) per target group with at least one counted
    location, as :func:`occupancy_by_municipality`: one query, the snapshot rows valid on
    `on` joined to their municipality."""
    valid = FilteredRelation(
        "occupancy_snapshots",
        condition=Q(occupancy_snapshots__date__lte=on)
        & (
            Q(occupancy_snapshots__valid_until__isnull=True)
            | Q(occupancy_snapshots__valid_until__gt=on)
        )
        & Q(occupancy_snapshots__locations__gt=0),
    )
    rows = (
        Municipality.objects.in_region(_region(region_code))
        .with_key_figures(on)
        .annotate(valid=valid)
        .values(
            "code",
            "name",
            "population",
            target_group=F("valid__target_group"),
            counted_locations=F("valid__locations"),
            operational=F("valid__capacity"),
            occupied=F("valid__occupied"),
            reserved=F("valid__reserved"),
            last_report_date=F("valid__last_report_date"),
        )
        .order_by("name", "code", "target_group")
    )
    result: list[tuple[dict, list[FigureSet]]] = []
    for row in rows:
        if not result or result[-1][0]["code"] != row["code"]:
            result.append(({key: row[key] for key in ("code", "name", "population")}, []))
        if row["target_group"] is not None:
            row["locations"] = row["counted_locations"]
            result[-1][1].append(_figure_set(row, thresholds, key=row["code"]))
    return result


def occupancy_by_target_group(
    *,
    on: datetime.date,
    region_code: str | None = None,
    thresholds: dict[str, tuple[Decimal, Decimal]] | None = None,
) -> list[FigureSet]:
    """The region's figure set per target group as of `on`: one for each of the three groups.
    Two queries; one when the caller passes the `thresholds` it already read."""
    thresholds = thresholds if thresholds is not None else thresholds_by_target_group()
    totals = {
        row["target_group"]: row
        for row in snapshots_as_of(on=on, region_code=region_code)
        .values("target_group")
        .annotate(**SUMS)
        .order_by()
    }
    empty = dict.fromkeys(SUMS)
    return [
        _figure_set({**empty, **totals.get(group, {}), "target_group": group}, thresholds)
        for group in TargetGroup.values
    ]


def occupancy_by_region(
    *,
    on: datetime.date,
    province_code: str | None = None,
    thresholds: dict[str, tuple[Decimal, Decimal]] | None = None,
) -> list[FigureSet]:
    """A figure set per safety region (`key`: its CBS code) and target group as of `on`, for
    every region of the country or of one province; only (region, group) pairs with snapshot
    rows. Ordered by region code, then target group. Two queries whatever the country's size
    (one with `thresholds`).
    """
    thresholds = thresholds if thresholds is not None else thresholds_by_target_group()
    snapshots = OccupancySnapshot.objects.filter(_valid_on(on))
    if province_code is not None:
        snapshots = snapshots.filter(municipality__safety_region__province__code=province_code)
    rows = (
        snapshots.values("target_group", region_code=F("municipality__safety_region__code"))
        .annotate(**SUMS)
        .order_by("region_code", "target_group")
    )
    return [_figure_set(row, thresholds, key=row["region_code"]) for row in rows]


def realised_places(
    *, on: datetime.date, region_code: str | None = None
) -> dict[tuple[str, str], int]:
    """Operational capacity as of `on` per (municipality CBS code, target group). One query.

    Pairs without any counted location are left out: read them with `.get(key, 0)`.
    """
    return {
        (code, group): capacity
        for code, group, capacity in snapshots_as_of(on=on, region_code=region_code)
        .filter(locations__gt=0)
        .values_list("municipality__code", "target_group", "capacity")
    }


def operational_places_by_type(
    *, on: datetime.date, region_code: str | None = None
) -> dict[tuple[str, str, str], int]:
    """Operational capacity as of `on` per (municipality CBS code, target group, location
    type) in one region (default the home region), from each operational location's latest
    report on or before `on`. One grouped query.

    A task adds up the types that count toward it (`Assignment.realised_from`). Triples
    without a counted location are left out: read them with `.get(key, 0)`.
    """
    locations = Location.objects.in_region(_region(region_code))
    return _places_by_type(on, locations, F("location__municipality__code"))


def operational_places_by_region_and_type(
    *, on: datetime.date, province_code: str | None = None
) -> dict[tuple[str, str, str], int]:
    """As :func:`operational_places_by_type`, per safety region (VR code) of one province or
    of the whole country (`province_code` None). One grouped query."""
    locations = Location.objects.all()
    if province_code is not None:
        locations = locations.filter(municipality__safety_region__province__code=province_code)
    return _places_by_type(on, locations, F("location__municipality__safety_region__code"))


def _places_by_type(on: datetime.date, locations: QuerySet, area: F) -> dict:
    rows = (
        counted_reports(on=on, locations=locations)
        .values_list(area, "location__target_group", "location__type")
        .annotate(places=Sum("capacity"))
        .order_by()
    )
    return {(code, group, kind): places for code, group, kind, places in rows}


# Per location, straight from the reports ----------------------------------------------------


def locations_as_of(
    *,
    on: datetime.date,
    municipality: Municipality | None = None,
    region_code: str | None = None,
    queryset: LocationQuerySet | None = None,
) -> LocationQuerySet:
    """Locations with their latest report on or before `on`, in one query.

    Annotations: report_date, report_capacity, report_occupied, report_reserved,
    report_free, report_flagged (all None without a report), `effective_status` (the state on
    `on` by the lifecycle rule) and `counted` (the report counts in the totals: there is one
    and the location is operational on `on`). Pass `queryset` to start from an already
    scoped or filtered set of locations.
    """
    locations = queryset if queryset is not None else Location.objects.all()
    if municipality is not None:
        locations = locations.filter(municipality=municipality)
    elif region_code is not None or queryset is None:
        locations = locations.in_region(_region(region_code))
    return (
        locations.select_related("municipality")
        .with_latest_report(on)
        .with_effective_status(on)
        .annotate(
            report_free=F("report_capacity") - F("report_occupied") - F("report_reserved"),
            counted=Case(
                When(
                    Q(report_date__isnull=False)
                    & Q(effective_status=EffectiveStatus.OPERATIONAL.value),
                    then=Value(True),
                ),
                default=Value(False),
            ),
        )
    )


def _latest_report_ids(locations: QuerySet, on: datetime.date) -> QuerySet:
    latest = CapacityReport.objects.filter(location=OuterRef("pk"), date__lte=on).order_by("-date")
    return (
        locations.operational_on(on)
        .annotate(report_id=Subquery(latest.values("pk")[:1]))
        .values("report_id")
    )


def counted_reports(*, on: datetime.date, locations: LocationQuerySet | None = None) -> QuerySet:
    """The report that counts on `on` for each location in `locations` (default: all)."""
    locations = locations if locations is not None else Location.objects.all()
    return CapacityReport.objects.filter(pk__in=_latest_report_ids(locations, on))


def occupancy_by_location_type(
    *, on: datetime.date, region_code: str | None = None
) -> list[FigureSet]:
    """The region's figure set per location type (`key`) and target group as of `on`,
    ordered by type, then target group. Two queries (one grouped)."""
    thresholds = thresholds_by_target_group()
    rows = (
        counted_reports(on=on, locations=Location.objects.in_region(_region(region_code)))
        .values(type=F("location__type"), target_group=F("location__target_group"))
        .annotate(
            locations=Count("pk"),
            operational=Sum("capacity"),
            occupied=Sum("occupied"),
            reserved=Sum("reserved"),
            last_report_date=Max("date"),
        )
        .order_by("type", "target_group")
    )
    return [_figure_set(row, thresholds, key=row["type"]) for row in rows]


# Outlook ------------------------------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def capacity_outlook(
    *, start: datetime.date, months: int = 12, region_code: str | None = None
) -> list[dict]:
    """Operational places per target group for each of `months` months from `start`.

    Each month is measured on its first day (the first month on `start` itself). A location
    counts when it is operational on that day by the lifecycle rule (`lifecycle.py`), or when
    it is planned or in preparation, its (planned) opening date is on or before that day and
    its contract has not ended: the outlook expects planned places to open on their date.
    Places: the latest reported capacity on or before `start`, else the planned capacity.
    Rows: month (first day), target_group, places, opening (places that start to count in
    that month), ending (places whose contract ends in that month, so they are gone the next
    month). One grouped query with conditional sums.
    """
    if months < 1:
        return []
    latest = CapacityReport.objects.filter(location=OuterRef("pk"), date__lte=start).order_by(
        "-date"
    )
    upcoming = Q(status__in=[value.value for value in UPCOMING])
    # Locations whose places count once they are open: all but those winding down.
    countable = ~Q(status=LocationStatus.WINDING_DOWN)
    aggregates = {}
    firsts = [start] + [_add_months(start, offset) for offset in range(1, months)]
    for offset, day in enumerate(firsts):
        next_first = _add_months(start, offset + 1)
        month_first = _add_months(start, offset)
        not_ended = Q(contract_end__isnull=True) | Q(contract_end__gte=day)
        projected = upcoming & Q(opened_on__lte=day) & not_ended
        aggregates[f"places_{offset}"] = Sum(
            Case(When(operational_q(day) | projected, then=F("places")), default=0),
            output_field=IntegerField(),
        )
        aggregates[f"opening_{offset}"] = Sum(
            Case(
                When(
                    countable & Q(opened_on__gte=month_first, opened_on__lt=next_first),
                    then=F("places"),
                ),
                default=0,
            ),
            output_field=IntegerField(),
        )
        aggregates[f"ending_{offset}"] = Sum(
            Case(
                When(
                    countable
                    & Q(contract_end__gte=max(day, month_first), contract_end__lt=next_first),
                    then=F("places"),
                ),
                default=0,
            ),
            output_field=IntegerField(),
        )
    totals = {
        row["target_group"]: row
        for row in Location.objects.in_region(_region(region_code))
        .filter(Q(contract_end__isnull=True) | Q(contract_end__gte=start))
        .annotate(
            places=Coalesce(
                Subquery(latest.values("capacity")[:1]), F("planned_capacity"), Value(0)
            )
        )
        .values("target_group")
        .annotate(**aggregates)
        .order_by()
    }
    result = []
    for offset, day in enumerate(firsts):
        for group in TargetGroup:
            found = totals.get(group.value, {})
            result.append(
                {
                    "month": _add_months(start, offset),
                    "on": day,
                    "target_group": group.value,
                    "places": found.get(f"places_{offset}") or 0,
                    "opening": found.get(f"opening_{offset}") or 0,
                    "ending": found.get(f"ending_{offset}") or 0,
                }
            )
    return result


# Reporting status ---------------------------------------------------------------------------


def reporting_status(*, week_start: datetime.date, region_code: str | None = None) -> list[dict]:
    """Per municipality of the region: how many of its reporting locations have a report
    (new or confirmed unchanged) dated in the week starting `week_start`. One query.

    Rows: municipality_id, code, name, locations, reported, complete (every reporting
    location reported), flagged (reports of that week flagged for follow-up),
    last_report_date.
    """
    week_end = week_start + datetime.timedelta(days=6)
    # Asked in a week: asked on any of its days (the weekly grid of that day shows it). Only
    # the contract end moves a location out of the asked states by the calendar, so that is
    # being asked on the week's first day.
    reporting = reporting_q(week_start, prefix="locations__")
    in_week = reporting & Q(
        locations__reports__date__gte=week_start,
        locations__reports__date__lte=week_end,
    )
    rows = (
        Municipality.objects.in_region(_region(region_code))
        .annotate(
            location_count=Count("locations", filter=reporting, distinct=True),
            reported=Count("locations__reports__location", filter=in_week, distinct=True),
            flagged=Count(
                "locations__reports",
                filter=in_week & Q(locations__reports__flagged=True),
                distinct=True,
            ),
            last_report_date=Max("locations__reports__date", filter=reporting),
        )
        .values("id", "code", "name", "location_count", "reported", "flagged", "last_report_date")
        .order_by("name")
    )
    return [
        {
            "municipality_id": row["id"],
            "code": row["code"],
            "name": row["name"],
            "locations": row["location_count"],
            "reported": row["reported"],
            "complete": row["location_count"] > 0 and row["reported"] >= row["location_count"],
            "flagged": row["flagged"],
            "last_report_date": row["last_report_date"],
        }
        for row in rows
    ]


def unreported_locations(
    *, week_start: datetime.date, municipality_ids: list[int] | None = None
) -> LocationQuerySet:
    """The locations asked for their counts in the week starting `week_start` (the same rule
    as `reporting_status`) that have no report dated in that week, by municipality and name.
    Pass `municipality_ids` to look at those municipalities only. One query."""
    week_end = week_start + datetime.timedelta(days=6)
    in_week = CapacityReport.objects.filter(
        location=OuterRef("pk"), date__gte=week_start, date__lte=week_end
    )
    locations = Location.objects.reporting_on(week_start)
    if municipality_ids is not None:
        locations = locations.filter(municipality_id__in=municipality_ids)
    return (
        locations.exclude(Exists(in_week))
        .select_related("municipality")
        .order_by("municipality__name", "name", "code")
    )


def flagged_reports(
    *, since: datetime.date | None = None, region_code: str | None = None
) -> QuerySet:
    """Reports flagged for follow-up (dated on or after `since`, when given), newest first.

    Whatever wrote them (grid, API, import, admin, placement): a flag stays until a
    coordinator marks the report checked, so an old report an import flagged today is listed
    as well as this week's."""
    reports = CapacityReport.objects.filter(
        flagged=True, location__municipality__safety_region__code=_region(region_code)
    )
    if since is not None:
        reports = reports.filter(date__gte=since)
    return reports.select_related("location__municipality", "reported_by").order_by(
        "-date", "location__code"
    )


def week_start_of(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week of `day`."""
    return day - datetime.timedelta(days=day.weekday())
