"""The figure set: the one read model for the places and the task of one target group in one
area (a municipality, a region, a province, the country) or one slice of it (a location type).

Every page and answer that shows these numbers reads them from here, with one name each:

- *operational*: operational places (the capacity of the reports that count), *occupied*,
  *reserved*, *free* = operational - occupied - reserved (at least 0), *locations* whose
  reports count, *last_report_date*;
- *rate* = occupied / operational as a fraction with four decimals (None without places), the
  number the thresholds compare; `rate_rounded(2)` is what the API shows, rounded from the
  exact fraction, and templates show it as a percentage with the `percent` filter;
- *level*: "ok", "warning" or "tipping_point" from the thresholds;
- *required*: the task (None without one), *realised*: what counts toward it (the operational
  places of the types the task counts, for permit holders the persons housed), *gap* =
  required - realised (negative: a surplus).

A task row of its own (several tasks of one group, sub-tasks) is one more figure set with its
own `required`/`realised`; `summed` adds figure sets up for a larger area.
"""

import datetime
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from .choices import TargetGroup

LEVEL_OK = "ok"
LEVEL_WARNING = "warning"
LEVEL_TIPPING_POINT = "tipping_point"

PLACES = "places"
HOUSED = "housed"

RATE_DECIMALS = 4


def rate_of(occupied: int, operational: int, decimals: int = RATE_DECIMALS) -> Decimal | None:
    """Occupied / operational as a fraction rounded half up; None without places."""
    if not operational:
        return None
    return (Decimal(occupied) / Decimal(operational)).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )


def level_of(rate: Decimal | None, thresholds: tuple[Decimal, Decimal]) -> str:
    """ "ok", "warning" or "tipping_point"; no places at all is "ok" (nothing to fill up)."""
    warning, tipping_point = thresholds
    if rate is None or rate < warning:
        return LEVEL_OK
    if rate < tipping_point:
        return LEVEL_WARNING
    return LEVEL_TIPPING_POINT


@dataclass(frozen=True)
class FigureSet:
    """Places and task of one target group in one area (see the module's definitions)."""

    target_group: str
    operational: int = 0
    occupied: int = 0
    reserved: int = 0
    locations: int = 0
    last_report_date: datetime.date | None = None
    level: str = LEVEL_OK
    # What the figures are of, when a list holds several areas: a municipality's or region's
    # CBS code, a location type; empty for a whole area.
    key: str = ""
    required: int | None = None
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

    @classmethod
    def measured(
        cls, target_group: str, thresholds: tuple[Decimal, Decimal], **figures
    ) -> "FigureSet":
        """A figure set whose level follows from its rate and the group's thresholds."""
        figure_set = cls(target_group=target_group, **figures)
        return replace(figure_set, level=level_of(figure_set.rate, thresholds))

    @classmethod
    def summed(
        cls,
        target_group: str,
        parts: list["FigureSet"],
        thresholds: tuple[Decimal, Decimal] | None = None,
        key: str = "",
    ) -> "FigureSet":
        """The figures of a larger area: the sum of its parts. The task is None only when no
        part has one (a part without a task adds no places to the task of the whole). With
        `thresholds` the level follows from the summed rate, else it is "ok"."""

        def total(name: str) -> int | None:
            values = [getattr(part, name) for part in parts if getattr(part, name) is not None]
            return sum(values) if values else None

        dates = [part.last_report_date for part in parts if part.last_report_date is not None]
        figure_set = cls(
            target_group=target_group,
            operational=sum(part.operational for part in parts),
            occupied=sum(part.occupied for part in parts),
            reserved=sum(part.reserved for part in parts),
            locations=sum(part.locations for part in parts),
            last_report_date=max(dates, default=None),
            key=key,
            required=total("required"),
            realisation=HOUSED if target_group == TargetGroup.PERMIT_HOLDERS else PLACES,
            realised=total("realised"),
            linked=total("linked"),
            carried_over=total("carried_over"),
        )
        if thresholds is None:
            return figure_set
        return replace(figure_set, level=level_of(figure_set.rate, thresholds))

    @property
    def label(self) -> str:
        return TargetGroup(self.target_group).label if self.target_group else ""

    @property
    def free(self) -> int:
        return max(self.operational - self.occupied - self.reserved, 0)

    @property
    def rate(self) -> Decimal | None:
        return rate_of(self.occupied, self.operational)

    def rate_rounded(self, decimals: int) -> Decimal | None:
        """The rate rounded from the exact fraction (not from the four-decimal rate)."""
        return rate_of(self.occupied, self.operational, decimals)

    @property
    def gap(self) -> int | None:
        if self.required is None or self.realised is None:
            return None
        return self.required - self.realised

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
