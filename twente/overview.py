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
- *rate* = occupied / operational; None when nothing is operational.

Every number is a `capacity.figures.FigureSet`, the one read model for a figure set (one per
target group, area and task); the region's totals are the sum of its municipalities' rows.
A fixed number of queries whatever the number of locations, reports or municipalities.
"""

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from allocation.models import Assignment
from allocation.selectors import (
    active_assignments,
    active_assignments_by_region,
    shares_with_effective,
)
from capacity import read_cache
from capacity.choices import TargetGroup
from capacity.figures import HOUSED, FigureSet
from capacity.housing.selectors import housing_by_municipality, housing_by_region
from capacity.selectors import (
    municipalities_with_occupancy,
    occupancy_by_region,
    operational_places_by_region_and_type,
    operational_places_by_type,
    thresholds_by_target_group,
)
from municipalities.models import Province, SafetyRegion
from municipalities.selectors import regions_with_totals


@dataclass(frozen=True)
class MunicipalityOverview:
    code: str
    name: str
    population: int | None
    target_groups: list[FigureSet]

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

    def group(self, target_group: str) -> FigureSet:
        return next(f for f in self.target_groups if f.target_group == target_group)


@dataclass(frozen=True)
class Overview:
    region: SafetyRegion
    date: datetime.date
    target_groups: list[FigureSet]
    municipalities: list[MunicipalityOverview]
    tasks: dict[str, Assignment]  # the active task per target group, with its totals
    thresholds: dict[str, tuple[Decimal, Decimal]]  # (warning, tipping point) per group

    def group(self, target_group: str) -> FigureSet:
        return next(f for f in self.target_groups if f.target_group == target_group)

    @property
    def total(self) -> FigureSet:
        """All target groups together (places of different groups added up)."""
        return FigureSet.summed("", self.target_groups)


def task_period(task: Assignment, on: datetime.date) -> tuple[datetime.date | None, datetime.date]:
    """The days whose housing counts toward a permit-holder task as of `on`: from its start
    through `on`, at most through its deadline."""
    end = on if task.deadline is None else min(on, task.deadline)
    return task.starts_on, end


def overview_as_of(*, region: SafetyRegion, on: datetime.date) -> Overview:
    """The overview of `region` as of `on` (three queries, four with an active permit-holder
    task, whatever the size of the region; two more for the thresholds and the places per
    location type when they are not in the read cache, `capacity.read_cache`)."""
    tasks = active_assignments(region_code=region.code, on=on)
    shares = {
        (group, code): (share, carried_over)
        for group, code, share, carried_over in shares_with_effective()
        .filter(assignment__in=[task.pk for task in tasks.values()])
        .values_list(
            "assignment__target_group", "municipality__code", "effective_share", "carried_over"
        )
    }
    # Changed on the thresholds page or in the admin, whose save replaces the cached copy.
    thresholds = read_cache.cached("thresholds", "", "", thresholds_by_target_group)
    listed = municipalities_with_occupancy(on=on, region_code=region.code, thresholds=thresholds)
    rows = [row for _municipality, figure_sets in listed for row in figure_sets]
    occupancy = {(row.key, row.target_group): row for row in rows}
    # From the reports themselves (the latest per location): the heaviest read, cached.
    places = read_cache.cached(
        "places-by-type",
        region.code,
        on.isoformat(),
        lambda: operational_places_by_type(on=on, region_code=region.code),
    )
    housing_task = tasks.get(TargetGroup.PERMIT_HOLDERS)
    housing = {}
    if housing_task is not None:
        start, end = task_period(housing_task, on)
        housing = housing_by_municipality(start=start, end=end, on=on, region_code=region.code)
    municipalities = []
    for municipality, _figure_sets in listed:
        figures = []
        for group in TargetGroup.values:
            required, carried_over = None, None
            if group in tasks:
                required, carried_over = shares.get((group, municipality["code"]), (0, 0))
            row = occupancy.get((municipality["code"], group))
            if group == TargetGroup.PERMIT_HOLDERS:
                found = housing.get(municipality["code"], {})
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
                    _place_figures(group, required, row, task, places, municipality["code"])
                )
        municipalities.append(
            MunicipalityOverview(
                code=municipality["code"],
                name=municipality["name"],
                population=municipality["population"],
                target_groups=figures,
            )
        )
    target_groups = []
    for group in TargetGroup.values:
        row = FigureSet.summed(
            group, [row for row in rows if row.target_group == group], thresholds[group]
        )
        task = tasks.get(group)
        required = task.effective_total if task is not None else None
        parts = [municipality.group(group) for municipality in municipalities]
        if group != TargetGroup.PERMIT_HOLDERS:
            realised = sum(part.realised for part in parts) if task is not None else None
            types = task.eligible_location_types if task is not None else None
            target_groups.append(
                _figures(group, row, required=required, realised=realised, location_types=types)
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
        thresholds=thresholds,
    )


def _figures(group: str, row: FigureSet | None, **task) -> FigureSet:
    """The measured figures of `row` (none: zeros) with the task's figures set."""
    return replace(row or FigureSet(target_group=group), **task)


def _place_figures(
    group: str,
    required: int | None,
    row: FigureSet | None,
    task: Assignment | None,
    places: dict[tuple[str, str, str], int],
    area_code: str,
) -> FigureSet:
    """Shelter places: what counts toward the task are the operational places of the types
    it counts in this municipality or region; without a task, all operational places."""
    if task is None:
        return _figures(group, row, required=required)
    return _figures(
        group,
        row,
        required=required,
        realised=task.realised_from(places, area_code),
        location_types=task.eligible_location_types,
    )


def _housing_figures(
    group: str,
    required: int | None,
    row: FigureSet | None,
    *,
    housed: int | None,
    linked: int | None,
    carried_over: int | None,
) -> FigureSet:
    """Permit holders: the places of their locations as for every group, and what counts
    toward the task, the persons housed (None without an active task)."""
    return _figures(
        group,
        row,
        required=required,
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
    target_groups: list[FigureSet]

    def group(self, target_group: str) -> FigureSet:
        return next(f for f in self.target_groups if f.target_group == target_group)


@dataclass(frozen=True)
class ProvinceOverview:
    code: str
    name: str
    regions: list[RegionOverview]
    target_groups: list[FigureSet]

    def group(self, target_group: str) -> FigureSet:
        return next(f for f in self.target_groups if f.target_group == target_group)


@dataclass(frozen=True)
class AreaOverview:
    """The sum of the regions of one province (`province` set) or of the whole country."""

    province: Province | None
    date: datetime.date
    target_groups: list[FigureSet]
    provinces: list[ProvinceOverview]
    regions: list[RegionOverview]

    @property
    def is_national(self) -> bool:
        return self.province is None

    def group(self, target_group: str) -> FigureSet:
        return next(f for f in self.target_groups if f.target_group == target_group)


def area_overview(*, province: Province | None = None, on: datetime.date) -> AreaOverview:
    """Tasks and status per target group of every safety region of `province` (None: of the
    country), with the sums per province and for the whole area, as of `on`. The same
    definitions as the region overview; five queries whatever the number of regions (six
    when a region has an active permit-holder task)."""
    province_code = province.code if province is not None else None
    regions = regions_with_totals(on=on, province_code=province_code)
    thresholds = thresholds_by_target_group()
    occupancy = {
        (row.key, row.target_group): row
        for row in occupancy_by_region(on=on, province_code=province_code, thresholds=thresholds)
    }
    tasks = active_assignments_by_region(on=on, province_code=province_code)
    places = operational_places_by_region_and_type(on=on, province_code=province_code)
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

    def sums(parts: list[RegionOverview]) -> list[FigureSet]:
        return [
            FigureSet.summed(group, [part.group(group) for part in parts], thresholds[group])
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
