"""The dashboard's figures, composed from the apps' selectors in one call.

`regional_picture` is what the print page and the exports need (the overview per target group
and per municipality); `dashboard_build` adds the pictures (trend, outlook, map) and the open
actions and deadlines. Both run a fixed number of SQL queries whatever the number of
locations, reports or snapshots: every figure is a grouped query or a precomputed snapshot.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, Sum, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.formats import date_format
from django.utils.translation import gettext

from allocation.choices import AssignmentStatus
from allocation.models import Assignment
from allocation.selectors import assignments_for_region
from capacity import read_cache
from capacity.choices import TargetGroup
from capacity.discretion import audience, named_only
from capacity.figures import FigureSet
from capacity.lifecycle import UPCOMING, EffectiveStatus
from capacity.models import Location, OccupancySnapshot
from capacity.selectors import capacity_outlook, locations_as_of
from matching.selectors import placements_since
from meetings.models import Entry
from meetings.selectors import actions_register
from municipalities.models import SafetyRegion
from twente.overview import MunicipalityOverview, Overview, overview_as_of

TREND_WEEKS = 26
OUTLOOK_MONTHS = 12
ACTIONS_AHEAD_DAYS = 30
DEADLINES_AHEAD_DAYS = 90
ACTIONS_SHOWN = 25

# Sort keys of the per-municipality table: ?sort=KEY (ascending) or ?sort=-KEY (descending).
GROUP_SORT_FIELDS = ("required", "realised", "gap", "rate")
SORT_KEYS = (
    "name",
    "population",
    "last_report",
    *(f"{group}_{name}" for group in TargetGroup.values for name in GROUP_SORT_FIELDS),
)
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class GroupStatus:
    """One target group of the region: its figures and the active task they are held to."""

    figures: FigureSet
    task: Assignment | None


@dataclass(frozen=True)
class MunicipalityStatus:
    municipality: MunicipalityOverview
    stale: bool  # reports older than settings.STALE_REPORT_DAYS before the date

    @property
    def name(self) -> str:
        return self.municipality.name

    @property
    def code(self) -> str:
        return self.municipality.code


@dataclass(frozen=True)
class RegionalPicture:
    overview: Overview
    groups: list[GroupStatus]
    municipalities: list[MunicipalityStatus]
    sort: str
    stale_days: int
    thresholds: dict[str, tuple[Decimal, Decimal]]

    @property
    def region(self) -> SafetyRegion:
        return self.overview.region

    @property
    def date(self) -> datetime.date:
        return self.overview.date

    @property
    def total(self) -> FigureSet:
        return self.overview.total

    @property
    def total_population(self) -> int:
        return sum(row.municipality.population or 0 for row in self.municipalities)

    @property
    def latest_report_date(self) -> datetime.date | None:
        """The date of the region's latest report that counts on the date (None: none)."""
        dates = [row.municipality.last_report_date for row in self.municipalities]
        return max((day for day in dates if day is not None), default=None)

    @property
    def reports_stale(self) -> bool:
        """Even the region's latest report is older than STALE_REPORT_DAYS before the date:
        the figures are an old picture carried forward, and the page must say so."""
        latest = self.latest_report_date
        return latest is not None and latest < self.date - datetime.timedelta(days=self.stale_days)


@dataclass(frozen=True)
class TrendPoint:
    week_end: datetime.date
    groups: list[FigureSet]  # operational, occupied and rate per target group


@dataclass(frozen=True)
class OutlookMonth:
    month: datetime.date
    groups: list[dict]  # target_group, label, places, opening, ending


@dataclass(frozen=True)
class HousingPace:
    """One municipality's housing of permit holders in the active task's period."""

    code: str
    name: str
    required: int
    housed: int
    linked: int | None
    per_week: Decimal  # housed per week so far
    projected: int  # housed by the deadline at that pace
    needed_per_week: Decimal | None  # what it takes from now on; None once the period is over

    @property
    def short(self) -> int:
        return self.required - self.projected


@dataclass(frozen=True)
class HousingOutlook:
    """Will the municipalities make the permit-holder task of this half year?

    At the current pace: housed per week so far (from the task's start through the date) ×
    weeks left until the deadline, added to what is housed. After the deadline the result is
    final. `behind` lists the municipalities that will not make it (or did not), by shortfall.
    """

    task: Assignment
    figures: FigureSet
    on: datetime.date
    weeks_done: Decimal
    weeks_left: Decimal
    behind: list[HousingPace]

    @property
    def ended(self) -> bool:
        return self.weeks_left == 0


@dataclass(frozen=True)
class Dashboard:
    picture: RegionalPicture
    today: datetime.date
    trend: list[TrendPoint]
    outlook: list[OutlookMonth]
    housing: HousingOutlook | None = None
    actions_overdue: list[Entry] = field(default_factory=list)
    actions_upcoming: list[Entry] = field(default_factory=list)
    more_overdue: bool = False
    deadlines: list[Assignment] = field(default_factory=list)
    placements: list[dict] = field(default_factory=list)
    placements_since: datetime.date | None = None
    actions_ahead_days: int = ACTIONS_AHEAD_DAYS
    deadlines_ahead_days: int = DEADLINES_AHEAD_DAYS


PLACEMENTS_DAYS = 7


def clean_sort(value: str | None) -> str:
    """A known sort key with its direction, else the default (by name)."""
    if value and value.removeprefix("-") in SORT_KEYS:
        return value
    return DEFAULT_SORT


def regional_picture(
    *, region: SafetyRegion, on: datetime.date, sort: str | None = None
) -> RegionalPicture:
    """The overview of `region` as of `on`, municipalities sorted by `sort`. Eight queries."""
    overview = overview_as_of(region=region, on=on)
    stale_days = settings.STALE_REPORT_DAYS
    stale_before = on - datetime.timedelta(days=stale_days)
    sort = clean_sort(sort)
    rows = [
        MunicipalityStatus(
            municipality=municipality,
            stale=municipality.last_report_date is not None
            and municipality.last_report_date < stale_before,
        )
        for municipality in overview.municipalities
    ]
    return RegionalPicture(
        overview=overview,
        groups=[
            GroupStatus(figures=figures, task=overview.tasks.get(figures.target_group))
            for figures in overview.target_groups
        ],
        municipalities=_sorted(rows, sort),
        sort=sort,
        stale_days=stale_days,
        thresholds=overview.thresholds,
    )


def _sort_value(row: MunicipalityStatus, key: str):
    municipality = row.municipality
    if key == "name":
        return municipality.name.casefold()
    if key == "population":
        return municipality.population
    if key == "last_report":
        return municipality.last_report_date
    group, _, name = key.rpartition("_")
    return getattr(municipality.group(group), name)


def _sorted(rows: list[MunicipalityStatus], sort: str) -> list[MunicipalityStatus]:
    """Sort the (few) municipality rows; rows without a value go last in either direction."""
    key = sort.removeprefix("-")
    descending = sort.startswith("-")
    known = [row for row in rows if _sort_value(row, key) is not None]
    unknown = [row for row in rows if _sort_value(row, key) is None]
    known.sort(key=lambda row: row.municipality.name.casefold())
    known.sort(key=lambda row: _sort_value(row, key), reverse=descending)
    unknown.sort(key=lambda row: row.municipality.name.casefold())
    return known + unknown


WEEK = Decimal(7)


def housing_outlook(overview: Overview) -> HousingOutlook | None:
    """The pace of housing permit holders against the active task (no queries: it reads the
    overview). None without an active permit-holder task with a start and a deadline, or
    before its period starts."""
    task = overview.tasks.get(TargetGroup.PERMIT_HOLDERS)
    if task is None or task.starts_on is None or task.deadline is None:
        return None
    on = min(overview.date, task.deadline)
    if on < task.starts_on:
        return None
    weeks_done = Decimal((on - task.starts_on).days + 1) / WEEK
    weeks_left = Decimal((task.deadline - on).days) / WEEK
    behind = []
    for municipality in overview.municipalities:
        figures = municipality.group(TargetGroup.PERMIT_HOLDERS)
        required, housed = figures.required or 0, figures.realised or 0
        per_week = Decimal(housed) / weeks_done
        projected = housed + int(per_week * weeks_left)
        if projected >= required:
            continue
        behind.append(
            HousingPace(
                code=municipality.code,
                name=municipality.name,
                required=required,
                housed=housed,
                linked=figures.linked,
                per_week=per_week,
                projected=projected,
                needed_per_week=(Decimal(required - housed) / weeks_left) if weeks_left else None,
            )
        )
    behind.sort(key=lambda row: (-row.short, row.name.casefold()))
    return HousingOutlook(
        task=task,
        figures=overview.group(TargetGroup.PERMIT_HOLDERS),
        on=on,
        weeks_done=weeks_done,
        weeks_left=weeks_left,
        behind=behind,
    )


def occupancy_trend(
    *, region_code: str, end: datetime.date, weeks: int = TREND_WEEKS
) -> list[TrendPoint]:
    """Region totals per target group at `end` and each of the `weeks - 1` weeks before it.

    One grouped query over the snapshot rows valid somewhere in the period, with a
    conditional sum per week end (a row counts for a week end when date <= day < valid_until).
    """
    week_ends = [end - datetime.timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    aggregates = {}
    for index, day in enumerate(week_ends):
        valid = Q(date__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gt=day))
        for figure in ("capacity", "occupied"):
            aggregates[f"{figure}_{index}"] = Sum(
                Case(When(valid, then=F(figure)), default=Value(0)),
                output_field=IntegerField(),
            )
    totals = {
        row["target_group"]: row
        for row in OccupancySnapshot.objects.filter(
            municipality__safety_region__code=region_code, date__lte=end
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=week_ends[0]))
        .values("target_group")
        .annotate(**aggregates)
        .order_by()
    }
    points = []
    for index, day in enumerate(week_ends):
        groups = []
        for group in TargetGroup.values:
            found = totals.get(group, {})
            operational = found.get(f"capacity_{index}") or 0
            occupied = found.get(f"occupied_{index}") or 0
            groups.append(FigureSet(target_group=group, operational=operational, occupied=occupied))
        points.append(TrendPoint(week_end=day, groups=groups))
    return points


def _outlook(*, region_code: str, start: datetime.date) -> list[OutlookMonth]:
    rows = capacity_outlook(start=start, months=OUTLOOK_MONTHS, region_code=region_code)
    months: dict[datetime.date, list[dict]] = {}
    for row in rows:
        months.setdefault(row["month"], []).append(
            {**row, "label": TargetGroup(row["target_group"]).label}
        )
    return [OutlookMonth(month=month, groups=groups) for month, groups in months.items()]


def map_locations(*, region_code: str, on: datetime.date, viewer=None) -> list[dict]:
    """Locations with coordinates that count on `on`, and those still to open (one query).
    With a `viewer`, the locations yet to open that they may not name are left out
    (`capacity.discretion`: they see those as a number per municipality)."""
    upcoming = Q(effective_status__in=[value.value for value in UPCOMING])
    scoped = Location.objects.in_region(region_code)
    if viewer is not None:
        scoped = named_only(viewer, scoped)
    rows = (
        locations_as_of(on=on, queryset=scoped)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .filter(Q(counted=True) | upcoming)
        .order_by("municipality__name", "name")
        .values(
            "code",
            "name",
            "effective_status",
            "target_group",
            "latitude",
            "longitude",
            "planned_capacity",
            "report_capacity",
            "report_occupied",
            "counted",
            municipality_name=F("municipality__name"),
        )
    )
    return [
        {
            "code": row["code"],
            "name": row["name"],
            "municipality": row["municipality_name"],
            "target_group": str(TargetGroup(row["target_group"]).label),
            "status": str(EffectiveStatus(row["effective_status"]).label),
            "lat": float(row["latitude"]),
            "lon": float(row["longitude"]),
            "places": (row["report_capacity"] if row["counted"] else row["planned_capacity"]) or 0,
            "occupied": row["report_occupied"] if row["counted"] else None,
            "upcoming": not row["counted"],
        }
        for row in rows
    ]


def _actions(region: SafetyRegion, today: datetime.date) -> tuple[list[Entry], list[Entry]]:
    """The open actions of the region's register that are overdue (at most ACTIONS_SHOWN + 1,
    to tell whether there are more) and those due in the next ACTIONS_AHEAD_DAYS (at most
    ACTIONS_SHOWN), in register order: one query, numbering each kind apart."""
    late = Case(When(due_date__lt=today, then=Value(True)), default=Value(False))
    rows = list(
        actions_register(region=region)
        .open()
        .filter(due_date__lte=today + datetime.timedelta(days=ACTIONS_AHEAD_DAYS))
        .annotate(
            late=late,
            rank=Window(
                RowNumber(),
                partition_by=[late],
                order_by=[
                    F("due_date").asc(nulls_last=True),
                    F("item__meeting__date").desc(),
                    F("item__position").asc(),
                    F("position").asc(),
                    F("pk").asc(),
                ],
            ),
        )
        .filter(rank__lte=ACTIONS_SHOWN + 1)
    )
    overdue = [row for row in rows if row.late]
    upcoming = [row for row in rows if not row.late][:ACTIONS_SHOWN]
    return overdue, upcoming


def dashboard_build(
    *,
    region: SafetyRegion,
    on: datetime.date,
    today: datetime.date,
    sort: str | None = None,
) -> Dashboard:
    """Everything the dashboard shows, as of `on`; actions and deadlines as of `today` (they
    are today's work, whatever date the figures are shown for). Five queries (six with an
    active permit-holder task), with the trend, the outlook and the placements from the read
    cache (`capacity.read_cache`: three more when they changed); the map's points come from
    their own endpoint (:func:`map_locations`)."""
    overdue, upcoming = _actions(region, today)
    deadlines = list(
        assignments_for_region(region.code)
        .filter(
            status=AssignmentStatus.ADOPTED,
            realise_by__gte=today,
            realise_by__lte=today + datetime.timedelta(days=DEADLINES_AHEAD_DAYS),
        )
        .order_by("realise_by", "code")
    )
    # The phone team's work of the last week, next to the free places per target group.
    since = on - datetime.timedelta(days=PLACEMENTS_DAYS - 1)
    picture = regional_picture(region=region, on=on, sort=sort)
    day = on.isoformat()
    return Dashboard(
        picture=picture,
        housing=housing_outlook(picture.overview),
        placements=read_cache.cached(
            "placements",
            region.code,
            since.isoformat(),
            lambda: placements_since(region_code=region.code, since=since),
        ),
        placements_since=since,
        today=today,
        trend=read_cache.cached(
            "trend", region.code, day, lambda: occupancy_trend(region_code=region.code, end=on)
        ),
        outlook=read_cache.cached(
            "outlook", region.code, day, lambda: _outlook(region_code=region.code, start=on)
        ),
        actions_overdue=overdue[:ACTIONS_SHOWN],
        more_overdue=len(overdue) > ACTIONS_SHOWN,
        actions_upcoming=upcoming,
        deadlines=deadlines,
    )


def cached_map_locations(*, region_code: str, on: datetime.date, key: str, viewer) -> list[dict]:
    """:func:`map_locations` for `viewer` from the read cache (one query when they changed);
    `key` names the date and the language of the labels. Who may name which locations yet to
    open (`capacity.discretion.audience`) is part of the key, so one reader's points never
    reach another."""
    key = f"{key}-{audience(viewer, region_code=region_code)}"
    return read_cache.cached(
        "map",
        region_code,
        key,
        lambda: map_locations(region_code=region_code, on=on, viewer=viewer),
    )


def chart_data(dashboard: Dashboard) -> dict:
    """The trend and outlook as plain JSON for the charts (drawn by static/twente/dashboard.js)."""
    groups = [{"key": group.value, "label": group.label} for group in TargetGroup]
    thresholds = {
        group: [float(warning * 100), float(tipping * 100)]
        for group, (warning, tipping) in dashboard.picture.thresholds.items()
    }
    return {
        "groups": groups,
        "thresholds": thresholds,
        "text": {
            "warning": gettext("Waarschuwing"),
            "tipping_point": gettext("Kantelpunt"),
            "rate_axis": gettext("Bezettingsgraad (%)"),
            "places_axis": gettext("Operationele plekken"),
        },
        "trend": {
            "labels": [f"{point.week_end:%d-%m-%Y}" for point in dashboard.trend],
            "series": _trend_series(dashboard.trend),
        },
        "outlook": {
            "labels": [date_format(month.month, "M Y") for month in dashboard.outlook],
            "series": {
                group.value: [
                    next(row["places"] for row in month.groups if row["target_group"] == group)
                    for month in dashboard.outlook
                ]
                for group in TargetGroup
            },
        },
    }


def _trend_series(trend: list[TrendPoint]) -> dict[str, list[float | None]]:
    """Occupancy in percent (one decimal) per target group per week; None without places."""
    series: dict[str, list[float | None]] = {group: [] for group in TargetGroup.values}
    for point in trend:
        for figures in point.groups:
            rate = figures.rate
            series[figures.target_group].append(
                None if rate is None else float(round(rate * 100, 1))
            )
    return series
