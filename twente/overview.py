"""The regional overview: tasks and status per target group, for the region and for each of
its municipalities, as of a date. The dashboard, its print page and exports, and the API's
`/api/v1/overview` all read it from here, so they always show the same figures.

Definitions (also in the API schema):

- *operational* and *occupied*: the totals of each location's latest report on or before the
  date, for locations not past their contract end, read from the occupancy snapshots the
  worker precomputes (`capacity.selectors`);
- *required*: the effective total (region) or effective share (municipality) of the *active*
  task of the target group on the date (`allocation.selectors.active_assignments`: the
  adopted task with the earliest deadline on or after the date, else one without a deadline,
  else the one with the latest deadline before it); None when there is no adopted task;
- *realised*: what counts toward the task. For shelter places (asylum seekers, Ukraine) the
  operational places of the location types the active task counts (`location_types`: the
  regular asylum task AZC places, the crisis task CNO places), all operational places of the
  group without a task. For permit holders the persons housed within the active task's period
  (from its `starts_on` through the date, at most its deadline), the sum of the
  municipalities' housing reports (`capacity.housing.selectors`); with it *linked*, the
  permit holders linked but not yet housed by each municipality's latest report (the
  pipeline), and *carried over*, the arrears taken over from the task the active one follows
  (negative: a lead), which are part of *required*;
- *gap* = required - realised (negative: a surplus); None without a task;
- *occupancy rate* = occupied / operational; None when nothing is operational.

A fixed number of queries whatever the number of locations, reports or municipalities.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from allocation.models import Assignment
from allocation.selectors import (
    active_assignments,
    active_assignments_by_region,
    shares_with_effective,
)
from capacity.choices import TargetGroup
from capacity.housing.selectors import housing_by_municipality, housing_by_region
from capacity.selectors import (
    LEVEL_OK,
    occupancy_by_municipality,
    occupancy_by_region,
    occupancy_by_target_group,
    occupancy_level,
    occupancy_rate,
    operational_places_by_region_and_type,
    operational_places_by_type,
    thresholds_by_target_group,
)
from municipalities.models import Province, SafetyRegion
from municipalities.selectors import municipalities_for_region, regions_with_totals


def rate_rounded(occupied: int, operational: int) -> Decimal | None:
    """Occupied / operational as a fraction with two decimals (half up); None without places."""
    if not operational:
        return None
    return (Decimal(occupied) / Decimal(operational)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


PLACES = "places"
HOUSED = "housed"


@dataclass(frozen=True)
class Figures:
    """Task and status of one target group, for a region or one municipality."""

    target_group: str
    required: int | None
    operational: int
    occupied: int
    reserved: int = 0
    locations: int = 0  # locations whose reports count
    rate: Decimal | None = None  # exact to four decimals, for the thresholds
    level: str = LEVEL_OK  # "ok", "warning" or "tipping_point"
    last_report_date: datetime.date | None = None
    # What counts toward the task: the operational places (PLACES, the default), or the
    # persons housed within the task's period (HOUSED: permit holders; None without a task).
    realisation: str = PLACES
    realised: int | None = None
    linked: int | None = None  # permit holders: linked, not yet housed (the pipeline)
    carried_over: int | None = None  # permit holders: arrears from the previous task, in required
    # Places: the location types whose places count toward the task (None without a task).
    location_types: tuple[str, ...] | None = None

    def __post_init__(self):
        if self.realisation == PLACES and self.realised is None:
            object.__setattr__(self, "realised", self.operational)

    @property
    def counts_housed(self) -> bool:
        return self.realisation == HOUSED

    @property
    def arrears(self) -> int:
        """Carried over from the previous task as arrears (achterstand), else 0."""
        return max(self.carried_over or 0, 0)

    @property
    def lead(self) -> int:
        """Carried over from the previous task as a lead (voorsprong), else 0."""
        return max(-(self.carried_over or 0), 0)

    @property
    def label(self) -> str:
        return TargetGroup(self.target_group).label

    @property
    def free(self) -> int:
        return max(self.operational - self.occupied - self.reserved, 0)

    @property
    def occupancy_rate(self) -> Decimal | None:
        return rate_rounded(self.occupied, self.operational)

    @property
    def percent(self) -> Decimal | None:
        """The occupancy rate in percent, for display (one decimal is meaningful)."""
        return None if self.rate is None else self.rate * 100

    @property
    def gap(self) -> int | None:
        if self.required is None or self.realised is None:
            return None
        return self.required - self.realised

    @property
    def progress_percent(self) -> Decimal | None:
        """What is realised as a percentage of the task (may pass 100)."""
        if not self.required or self.realised is None:
            return None
        return (Decimal(self.realised) * 100 / Decimal(self.required)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def progress_value(self) -> int:
        """What a progress bar shows: what is realised, capped at the task."""
        return max(min(self.realised or 0, self.required or 0), 0)


@dataclass(frozen=True)
class MunicipalityOverview:
    code: str
    name: str
    population: int | None
    target_groups: list[Figures]

    @property
    def locations(self) -> int:
        return sum(figures.locations for figures in self.target_groups)

    @property
    def operational(self) -> int:
        return sum(figures.operational for figures in self.target_groups)

    @property
    def occupied(self) -> int:
        return sum(figures.occupied for figures in self.target_groups)

    @property
    def last_report_date(self) -> datetime.date | None:
        dates = [figures.last_report_date for figures in self.target_groups]
        return max((day for day in dates if day is not None), default=None)

    def group(self, target_group: str) -> Figures:
        return next(f for f in self.target_groups if f.target_group == target_group)


@dataclass(frozen=True)
class Overview:
    region: SafetyRegion
    date: datetime.date
    target_groups: list[Figures]
    municipalities: list[MunicipalityOverview]
    tasks: dict[str, Assignment]  # the active task per target group, with its totals

    def group(self, target_group: str) -> Figures:
        return next(f for f in self.target_groups if f.target_group == target_group)

    @property
    def total(self) -> Figures:
        """All target groups together (places of different groups added up)."""
        groups = self.target_groups
        required = [f.required for f in groups if f.required is not None]
        realised = [f.realised for f in groups if f.realised is not None]
        operational = sum(f.operational for f in groups)
        occupied = sum(f.occupied for f in groups)
        reserved = sum(f.reserved for f in groups)
        locations = sum(f.locations for f in groups)
        exact = None
        if operational:
            exact = (Decimal(occupied) / Decimal(operational)).quantize(
                Decimal("0.0001"), rounding=ROUND_HALF_UP
            )
        return Figures(
            target_group="",
            required=sum(required) if required else None,
            operational=operational,
            occupied=occupied,
            reserved=reserved,
            locations=locations,
            rate=exact,
            realised=sum(realised),
        )


def task_period(task: Assignment, on: datetime.date) -> tuple[datetime.date | None, datetime.date]:
    """The days whose housing counts toward a permit-holder task as of `on`: from its start
    through `on`, at most through its deadline."""
    end = on if task.deadline is None else min(on, task.deadline)
    return task.starts_on, end


def overview_as_of(*, region: SafetyRegion, on: datetime.date) -> Overview:
    """The overview of `region` as of `on` (eight queries, nine with an active permit-holder
    task, whatever the size of the region)."""
    tasks = active_assignments(region_code=region.code, on=on)
    shares = {
        (group, code): (share, carried_over)
        for group, code, share, carried_over in shares_with_effective()
        .filter(assignment__in=[task.pk for task in tasks.values()])
        .values_list(
            "assignment__target_group", "municipality__code", "effective_share", "carried_over"
        )
    }
    occupancy = {
        (row["municipality_code"], row["target_group"]): row
        for row in occupancy_by_municipality(on=on, region_code=region.code)
    }
    places = operational_places_by_type(on=on, region_code=region.code)
    housing_task = tasks.get(TargetGroup.PERMIT_HOLDERS)
    housing = {}
    if housing_task is not None:
        start, end = task_period(housing_task, on)
        housing = housing_by_municipality(start=start, end=end, on=on, region_code=region.code)
    municipalities = []
    for municipality in municipalities_for_region(region.code, on=on):
        figures = []
        for group in TargetGroup.values:
            required, carried_over = None, None
            if group in tasks:
                required, carried_over = shares.get((group, municipality.code), (0, 0))
            row = occupancy.get((municipality.code, group))
            if group == TargetGroup.PERMIT_HOLDERS:
                found = housing.get(municipality.code, {})
                figures.append(
                    _housing_figures(
                        group,
                        required,
                        row,
                        housed=found.get("housed", 0) if housing_task else None,
                        linked=found.get("linked"),
                        carried_over=carried_over,
                    )
                )
            else:
                task = tasks.get(group)
                figures.append(
                    _place_figures(group, required, row, task, places, municipality.code)
                )
        municipalities.append(
            MunicipalityOverview(
                code=municipality.code,
                name=municipality.name,
                population=municipality.population,
                target_groups=figures,
            )
        )
    target_groups = []
    for row in occupancy_by_target_group(on=on, region_code=region.code):
        group = row["target_group"]
        task = tasks.get(group)
        required = task.effective_total if task is not None else None
        parts = [municipality.group(group) for municipality in municipalities]
        if group != TargetGroup.PERMIT_HOLDERS:
            realised = sum(part.realised for part in parts) if task is not None else None
            types = task.eligible_location_types if task is not None else None
            target_groups.append(
                _figures(group, required, row, realised=realised, location_types=types)
            )
            continue
        linked = [part.linked for part in parts if part.linked is not None]
        target_groups.append(
            _housing_figures(
                group,
                required,
                row,
                housed=sum(part.realised or 0 for part in parts) if task else None,
                linked=sum(linked) if linked else None,
                carried_over=task.carried_over_total if task else None,
            )
        )
    return Overview(
        region=region,
        date=on,
        target_groups=target_groups,
        municipalities=municipalities,
        tasks=tasks,
    )


def _figures(group: str, required: int | None, row: dict | None, **realisation) -> Figures:
    if row is None:
        return Figures(
            target_group=group, required=required, operational=0, occupied=0, **realisation
        )
    return Figures(
        target_group=group,
        required=required,
        operational=row["capacity"],
        occupied=row["occupied"],
        reserved=row["reserved"],
        locations=row["locations"],
        rate=row["rate"],
        level=row["level"],
        last_report_date=row["last_report_date"],
        **realisation,
    )


def _place_figures(
    group: str,
    required: int | None,
    row: dict | None,
    task: Assignment | None,
    places: dict[tuple[str, str, str], int],
    area_code: str,
) -> Figures:
    """Shelter places: what counts toward the task are the operational places of the types
    it counts in this municipality or region; without a task, all operational places."""
    if task is None:
        return _figures(group, required, row)
    return _figures(
        group,
        required,
        row,
        realised=task.realised_from(places, area_code),
        location_types=task.eligible_location_types,
    )


def _housing_figures(
    group: str,
    required: int | None,
    row: dict | None,
    *,
    housed: int | None,
    linked: int | None,
    carried_over: int | None,
) -> Figures:
    """Permit holders: the places of their locations as for every group, and what counts
    toward the task, the persons housed (None without an active task)."""
    return _figures(
        group,
        required,
        row,
        realisation=HOUSED,
        realised=housed,
        linked=linked,
        carried_over=carried_over,
    )


# Above the region: a province, or the whole country -----------------------------------------


@dataclass(frozen=True)
class RegionOverview:
    """One safety region's totals per target group (no municipality detail)."""

    code: str
    name: str
    province_code: str
    province_name: str
    municipality_count: int
    population: int | None
    target_groups: list[Figures]

    def group(self, target_group: str) -> Figures:
        return next(f for f in self.target_groups if f.target_group == target_group)


@dataclass(frozen=True)
class ProvinceOverview:
    code: str
    name: str
    regions: list[RegionOverview]
    target_groups: list[Figures]

    def group(self, target_group: str) -> Figures:
        return next(f for f in self.target_groups if f.target_group == target_group)


@dataclass(frozen=True)
class AreaOverview:
    """The sum of the regions of one province (`province` set) or of the whole country."""

    province: Province | None
    date: datetime.date
    target_groups: list[Figures]
    provinces: list[ProvinceOverview]
    regions: list[RegionOverview]

    @property
    def is_national(self) -> bool:
        return self.province is None

    def group(self, target_group: str) -> Figures:
        return next(f for f in self.target_groups if f.target_group == target_group)


def _summed(group: str, parts: list[Figures], thresholds: tuple[Decimal, Decimal]) -> Figures:
    """Figures of a larger area: the sum of its parts. The task is None only when no part has
    one (a region without a task adds no places to the task of the province)."""
    required = [part.required for part in parts if part.required is not None]
    operational = sum(part.operational for part in parts)
    occupied = sum(part.occupied for part in parts)
    rate = occupancy_rate(occupied, operational)
    dates = [part.last_report_date for part in parts if part.last_report_date is not None]

    def total(name: str) -> int | None:
        values = [getattr(part, name) for part in parts if getattr(part, name) is not None]
        return sum(values) if values else None

    return Figures(
        target_group=group,
        required=sum(required) if required else None,
        operational=operational,
        occupied=occupied,
        reserved=sum(part.reserved for part in parts),
        locations=sum(part.locations for part in parts),
        rate=rate,
        level=occupancy_level(rate, thresholds),
        last_report_date=max(dates, default=None),
        realisation=HOUSED if group == TargetGroup.PERMIT_HOLDERS else PLACES,
        realised=total("realised"),
        linked=total("linked"),
        carried_over=total("carried_over"),
    )


def area_overview(*, province: Province | None = None, on: datetime.date) -> AreaOverview:
    """Tasks and status per target group of every safety region of `province` (None: of the
    country), with the sums per province and for the whole area, as of `on`. The same
    definitions as the region overview; six queries whatever the number of regions (seven
    when a region has an active permit-holder task)."""
    province_code = province.code if province is not None else None
    regions = regions_with_totals(on=on, province_code=province_code)
    occupancy = {
        (row["region_code"], row["target_group"]): row
        for row in occupancy_by_region(on=on, province_code=province_code)
    }
    tasks = active_assignments_by_region(on=on, province_code=province_code)
    places = operational_places_by_region_and_type(on=on, province_code=province_code)
    thresholds = thresholds_by_target_group()
    housing = housing_by_region(
        periods={
            region_code: task_period(task, on)
            for (region_code, group), task in tasks.items()
            if group == TargetGroup.PERMIT_HOLDERS
        },
        on=on,
    )

    region_overviews = []
    for region in regions:
        figures = []
        for group in TargetGroup.values:
            task = tasks.get((region.code, group))
            required = task.effective_total if task is not None else None
            row = occupancy.get((region.code, group))
            if group != TargetGroup.PERMIT_HOLDERS:
                figures.append(_place_figures(group, required, row, task, places, region.code))
                continue
            found = housing.get(region.code, {})
            figures.append(
                _housing_figures(
                    group,
                    required,
                    row,
                    housed=found.get("housed", 0) if task else None,
                    linked=found.get("linked"),
                    carried_over=task.carried_over_total if task else None,
                )
            )
        region_overviews.append(
            RegionOverview(
                code=region.code,
                name=region.name,
                province_code=region.province.code,
                province_name=region.province.name,
                municipality_count=region.municipality_count,
                population=region.population,
                target_groups=figures,
            )
        )

    def sums(parts: list[RegionOverview]) -> list[Figures]:
        return [
            _summed(group, [part.group(group) for part in parts], thresholds[group])
            for group in TargetGroup.values
        ]

    by_province: dict[str, list[RegionOverview]] = {}
    for region in region_overviews:
        by_province.setdefault(region.province_code, []).append(region)
    provinces = [
        ProvinceOverview(
            code=code, name=parts[0].province_name, regions=parts, target_groups=sums(parts)
        )
        for code, parts in sorted(by_province.items())
    ]
    return AreaOverview(
        province=province,
        date=on,
        target_groups=sums(region_overviews),
        provinces=provinces,
        regions=region_overviews,
    )
