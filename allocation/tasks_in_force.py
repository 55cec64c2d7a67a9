"""Several tasks in force at once: each with its own realisation and gap, its parts (AMV
inside asylum) beneath it, and the sum per target group that a region or municipality owes.

Realisation as of a date counts the operational places of the task's own location types. A
task with an availability period ("permanent beschikbaar van 1 oktober tot 1 januari") is
judged over that period: the lowest number of places on any day of it, up to the date.
After its period a task reads "afgelopen" and shows its final result.

Query counts are fixed whatever the number of tasks: the tasks with their totals and parts
(two), the places on the date (one), and for period tasks one for the days places changed
within the periods plus one per such day (the reports of a region come weekly).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Prefetch, Value

from capacity.models import CapacityReport, Location
from capacity.selectors import operational_places_by_type

from .models import Assignment
from .selectors import assignments_for_region, in_force, shares_with_effective

Places = Mapping[tuple[str, str, str], int]


def realised_in_area(task: Assignment, places: Places, area_codes: Iterable[str]) -> int:
    """The places that count toward `task` summed over municipalities (or regions)."""
    return sum(task.realised_from(places, code) for code in area_codes)


def _area_codes(places: Places) -> set[str]:
    return {code for code, _group, _type in places}


def change_days(
    *, region_code: str, start: datetime.date, end: datetime.date
) -> list[datetime.date]:
    """The days from `start` through `end` on which the operational places of the region can
    change: `start` itself, report dates, openings and the day after a contract end. The
    lowest count over the period is the lowest count on one of these days (one query)."""
    reports = CapacityReport.objects.filter(
        location__municipality__safety_region__code=region_code, date__gt=start, date__lte=end
    )
    locations = Location.objects.filter(municipality__safety_region__code=region_code)
    opened = locations.filter(opened_on__gt=start, opened_on__lte=end)
    # A contract end is the last day counted: the places go the day after (kind 1).
    ended = locations.filter(contract_end__gte=start, contract_end__lt=end)
    rows = (
        reports.order_by()
        .annotate(kind=Value(0))
        .values_list("date", "kind")
        .union(
            opened.order_by().annotate(kind=Value(0)).values_list("opened_on", "kind"),
            ended.order_by().annotate(kind=Value(1)).values_list("contract_end", "kind"),
        )
    )
    days = {start}
    days.update(day + datetime.timedelta(days=kind) for day, kind in rows)
    return sorted(day for day in days if start <= day <= end)


def judged_period(
    task: Assignment, on: datetime.date
) -> tuple[datetime.date, datetime.date] | None:
    """The days over which `task` is judged as of `on`: its availability period up to `on`;
    None without an availability period or before it starts."""
    if task.available_from is None or task.available_from > on:
        return None
    end = on if task.available_until is None else min(on, task.available_until)
    return task.available_from, end


def period_minimum(
    task: Assignment,
    *,
    by_day: Mapping[datetime.date, Places],
    start: datetime.date,
    end: datetime.date,
    area_code: str | None = None,
) -> int:
    """The lowest number of places counting toward `task` on any change day in the period,
    in one municipality (`area_code`) or the whole region."""
    counts = []
    for day, places in by_day.items():
        if start <= day <= end:
            codes = [area_code] if area_code else _area_codes(places)
            counts.append(realised_in_area(task, places, codes))
    return min(counts, default=0)


@dataclass
class TaskStanding:
    """One task in force (or a part of it) as of a date."""

    task: Assignment
    required: int
    realised: int
    ended: bool = False
    # The availability period it was judged over (the lowest count), None: on the date.
    judged_from: datetime.date | None = None
    judged_until: datetime.date | None = None
    parts: list[TaskStanding] = field(default_factory=list)

    @property
    def gap(self) -> int:
        return self.required - self.realised

    @property
    def location_type_labels(self) -> list[str]:
        return self.task.location_type_labels


@dataclass
class GroupOwed:
    """What a region owes now for one target group: the sum over its tasks in force."""

    target_group: str
    label: str
    required: int
    realised: int
    tasks: int

    @property
    def gap(self) -> int:
        return self.required - self.realised


def tasks_in_force(*, region_code: str, on: datetime.date) -> list[Assignment]:
    """Every task of the region in force on `on` (:func:`allocation.selectors.in_force`),
    with its totals and its parts (with theirs), ordered by target group and end of period.
    Two queries."""
    parts = Assignment.objects.with_totals().order_by("code")
    return list(
        assignments_for_region(region_code)
        .filter(in_force(on))
        .prefetch_related(Prefetch("parts", queryset=parts))
        .order_by("target_group", "realise_by", "code")
    )


def _places_by_day(
    tasks: list[Assignment], *, region_code: str, on: datetime.date
) -> dict[datetime.date, Places]:
    days: set[datetime.date] = set()
    periods = [judged_period(task, on) for task in tasks]
    periods = [period for period in periods if period is not None]
    if periods:
        start = min(period[0] for period in periods)
        end = max(period[1] for period in periods)
        days.update(change_days(region_code=region_code, start=start, end=end))
    return {day: operational_places_by_type(on=day, region_code=region_code) for day in days}


def _standing(
    task: Assignment, *, on: datetime.date, places: Places, by_day, area_code: str | None
) -> TaskStanding:
    period = judged_period(task, on)
    codes = [area_code] if area_code else _area_codes(places)
    if period is None:
        realised = realised_in_area(task, places, codes)
    else:
        realised = period_minimum(
            task, by_day=by_day, start=period[0], end=period[1], area_code=area_code
        )
    return TaskStanding(
        task=task,
        required=task.effective_total,
        realised=realised,
        ended=task.ended_on(on),
        judged_from=period[0] if period else None,
        judged_until=period[1] if period else None,
    )


def standings_in_force(*, region_code: str, on: datetime.date) -> list[TaskStanding]:
    """Each task of the region in force on `on` with its realisation as of `on` and its
    parts beneath it. Permit-holder tasks count persons housed: their realisation is the
    worker's (``realised_total``). A fixed number of queries whatever the number of tasks
    (see the module docstring)."""
    tasks = tasks_in_force(region_code=region_code, on=on)
    places = operational_places_by_type(on=on, region_code=region_code)
    everything = [*tasks, *(part for task in tasks for part in task.parts.all())]
    by_day = _places_by_day(everything, region_code=region_code, on=on)
    standings = []
    for task in tasks:
        if task.counts_housed:
            standing = TaskStanding(
                task=task, required=task.effective_total, realised=task.realised_total
            )
            standing.parts = [
                TaskStanding(task=part, required=part.effective_total, realised=part.realised_total)
                for part in task.parts.all()
            ]
        else:
            standing = _standing(task, on=on, places=places, by_day=by_day, area_code=None)
            standing.parts = [
                _standing(part, on=on, places=places, by_day=by_day, area_code=None)
                for part in task.parts.all()
            ]
        standings.append(standing)
    return standings


def owed_by_group(standings: list[TaskStanding]) -> list[GroupOwed]:
    """Per target group, the sum over the tasks in force: the places the region owes now.
    Parts are inside their task's total and are not added again."""
    totals: dict[str, list[TaskStanding]] = defaultdict(list)
    for standing in standings:
        totals[standing.task.target_group].append(standing)
    return [
        GroupOwed(
            target_group=group,
            label=str(rows[0].task.get_target_group_display()),
            required=sum(row.required for row in rows),
            realised=sum(row.realised for row in rows),
            tasks=len(rows),
        )
        for group, rows in totals.items()
    ]


def owed_by_municipality(
    *, region_code: str, on: datetime.date, target_group: str
) -> dict[str, int]:
    """Per municipality (CBS code), the sum of its effective shares over the region's tasks
    of `target_group` in force on `on`: how many places it owes now (one query)."""
    rows = (
        shares_with_effective()
        .filter(assignment__region__code=region_code, assignment__target_group=target_group)
        .filter(assignment__in=Assignment.objects.filter(in_force(on)))
        .values_list("municipality__code", "effective_share")
    )
    owed: dict[str, int] = defaultdict(int)
    for code, share in rows:
        owed[code] += share
    return dict(owed)
