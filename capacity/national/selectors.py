"""Reads of the national figures and the national tipping point.

The tipping point for crisis emergency reception is agreed nationally: at 95% occupancy of
the national reception the regions prepare crisis emergency reception, with a warning from
92% ("Bezettingsgraad stijgt naar 92%, hiermee komt het verzoek voor crisisnoodopvang in
beeld", Verslag BAO juli 2022). So it is judged on the national occupancy, with these fixed
thresholds;
the warning levels of a region's own occupancy (`OccupancyThreshold`, the thresholds page)
are a separate, regional choice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from ..choices import TargetGroup
from ..figures import LEVEL_OK, level_of
from ..models import DEFAULT_TIPPING_POINT, DEFAULT_WARNING, NationalFigure

NATIONAL_WARNING = DEFAULT_WARNING
NATIONAL_TIPPING_POINT = DEFAULT_TIPPING_POINT


@dataclass(frozen=True)
class NationalStatus:
    """One target group's latest national figure on or before a date, and its level."""

    target_group: str
    figure: NationalFigure | None

    @property
    def label(self) -> str:
        return str(TargetGroup(self.target_group).label)

    @property
    def rate(self) -> Decimal | None:
        return self.figure.occupancy_rate if self.figure else None

    @property
    def level(self) -> str:
        """ "ok", "warning" or "tipping_point" by the national thresholds; "ok" without a
        rate (nothing to judge)."""
        if self.rate is None:
            return LEVEL_OK
        return level_of(self.rate, (NATIONAL_WARNING, NATIONAL_TIPPING_POINT))


def national_picture(*, on: datetime.date) -> list[NationalStatus]:
    """Per target group the latest national figure dated on or before `on` (None without
    one). One query, whatever the number of figures."""
    latest = (
        NationalFigure.objects.filter(target_group=OuterRef("target_group"), date__lte=on)
        .order_by("-date")
        .values("pk")[:1]
    )
    found = {
        figure.target_group: figure
        for figure in NationalFigure.objects.filter(date__lte=on, pk=Subquery(latest))
    }
    return [NationalStatus(target_group=group, figure=found.get(group)) for group in TargetGroup]
