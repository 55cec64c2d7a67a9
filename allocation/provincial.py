"""Reads of the provincial tasks: the province's total, each region's part and what each
region realised toward it (operational places of the task's location types on the date).
Three queries whatever the number of tasks and regions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from capacity.selectors import operational_places_by_region_and_type

from .choices import AssignmentStatus
from .models import ProvincialPart, ProvincialTask


@dataclass(frozen=True)
class RegionPart:
    region_code: str
    region_name: str
    computed: int
    agreed: int | None
    part: int
    realised: int
    assignment_code: str | None

    @property
    def gap(self) -> int:
        return self.part - self.realised


@dataclass(frozen=True)
class ProvincialStanding:
    task: ProvincialTask
    parts: list[RegionPart]

    @property
    def parts_total(self) -> int:
        return sum(part.part for part in self.parts)

    @property
    def difference(self) -> int:
        """The regional parts' sum minus the provincial total (the documents' 1,944 + 1,650
        add up to 3,594, one more than Overijssel's 3,593)."""
        return self.parts_total - self.task.total

    @property
    def realised(self) -> int:
        return sum(part.realised for part in self.parts)

    @property
    def gap(self) -> int:
        return self.task.total - self.realised


def provincial_tasks_in_force(*, province_code: str | None, on: datetime.date) -> QuerySet:
    """Adopted provincial tasks of the province (None: every province) whose period has not
    ended on `on`, with their parts, regions and regional tasks (two queries)."""
    end_open = Q(available_until__gte=on) | Q(
        Q(realise_by__isnull=True) | Q(realise_by__gte=on), available_until__isnull=True
    )
    started = Q(available_from__isnull=True) | Q(available_from__lte=on)
    tasks = ProvincialTask.objects.filter(
        end_open, started, status__in=[AssignmentStatus.ADOPTED, AssignmentStatus.CLOSED]
    ).select_related("province")
    if province_code is not None:
        tasks = tasks.filter(province__code=province_code)
    parts = ProvincialPart.objects.select_related("region", "assignment").order_by("region__code")
    return tasks.prefetch_related(Prefetch("parts", queryset=parts)).order_by(
        "province__code", "target_group", "realise_by", "code"
    )


def provincial_standings(
    *, province_code: str | None, on: datetime.date
) -> list[ProvincialStanding]:
    """Each provincial task in force with every region's part and realisation as of `on`."""
    tasks = list(provincial_tasks_in_force(province_code=province_code, on=on))
    if not tasks:
        return []
    places = operational_places_by_region_and_type(on=on, province_code=province_code)
    standings = []
    for task in tasks:
        types = task.eligible_location_types
        parts = [
            RegionPart(
                region_code=part.region.code,
                region_name=part.region.name,
                computed=part.computed_part,
                agreed=part.agreed_part,
                part=part.part,
                realised=sum(
                    places.get((part.region.code, task.target_group, kind), 0) for kind in types
                ),
                assignment_code=part.assignment.code if part.assignment else None,
            )
            for part in task.parts.all()
        ]
        standings.append(ProvincialStanding(task=task, parts=parts))
    return standings
