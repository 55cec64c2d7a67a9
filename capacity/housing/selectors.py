"""Reads of permit-holder housing: persons housed within a period and the pipeline on a date.

*Housed* in a period is the sum of `housed` of the reports dated within it (each report
counts the persons housed since the previous one). *Linked* on a date is the figure of the
latest report on or before it: a stock, not a flow. Every function is one SQL query whatever
the number of municipalities or reports.
"""

import datetime
from collections.abc import Mapping

from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from municipalities.models import Municipality

from ..models import PermitHolderReport


def _sum(queryset, expression) -> Coalesce:
    summed = queryset.order_by().values("municipality").annotate(total=Sum(expression))
    return Coalesce(Subquery(summed.values("total")[:1]), Value(0), output_field=IntegerField())


def housed_by_municipality(
    *, start: datetime.date | None, end: datetime.date | None, region_code: str
) -> dict[str, int]:
    """Persons housed from `start` through `end` (inclusive; None: unbounded) per CBS code of
    the region's municipalities that housed any. Read them with `.get(code, 0)`."""
    rows = (
        PermitHolderReport.objects.in_region(region_code)
        .within(start, end)
        .values("municipality__code")
        .annotate(total=Sum("housed"))
        .order_by()
    )
    return {row["municipality__code"]: row["total"] for row in rows if row["total"]}


def housing_by_municipality(
    *, start: datetime.date | None, end: datetime.date | None, on: datetime.date, region_code: str
) -> dict[str, dict[str, int | None]]:
    """Per CBS code of every municipality of the region: `housed` from `start` through `end`
    (inclusive; None: unbounded), `housed_amv` of them, and `linked` by the latest report on
    or before `on` (None without one)."""
    reports = PermitHolderReport.objects.filter(municipality=OuterRef("pk")).within(start, end)
    latest = PermitHolderReport.objects.filter(municipality=OuterRef("pk"), date__lte=on).order_by(
        "-date"
    )
    rows = (
        Municipality.objects.in_region(region_code)
        .annotate(
            housed=_sum(reports, "housed"),
            housed_amv=_sum(reports, "housed_amv"),
            linked=Subquery(latest.values("linked")[:1]),
        )
        .values("code", "housed", "housed_amv", "linked")
    )
    return {
        row["code"]: {
            "housed": row["housed"],
            "housed_amv": row["housed_amv"],
            "linked": row["linked"],
        }
        for row in rows
    }


def housing_by_region(
    *,
    periods: Mapping[str, tuple[datetime.date | None, datetime.date | None]],
    on: datetime.date,
) -> dict[str, dict[str, int | None]]:
    """Per safety region code in `periods` (its task's period: start, end, inclusive; None:
    unbounded): `housed` within that period, and `linked`, the sum over its municipalities
    of their latest report on or before `on` (None when none of them reported)."""
    if not periods:
        return {}
    in_period = Q(pk__in=[])
    for code, (start, end) in periods.items():
        condition = Q(municipality__safety_region__code=code)
        if start is not None:
            condition &= Q(date__gte=start)
        if end is not None:
            condition &= Q(date__lte=end)
        in_period |= condition
    latest_ids = (
        PermitHolderReport.objects.filter(municipality=OuterRef("municipality"), date__lte=on)
        .order_by("-date")
        .values("pk")[:1]
    )
    # One query: per region the housed within its period and the linked of each
    # municipality's latest report (a report is latest for at most one municipality).
    rows = (
        PermitHolderReport.objects.filter(municipality__safety_region__code__in=list(periods))
        .filter(in_period | Q(pk=Subquery(latest_ids)))
        .values(region_code=F("municipality__safety_region__code"))
        .annotate(
            housed=Sum("housed", filter=in_period),
            linked=Sum("linked", filter=Q(pk=Subquery(latest_ids))),
        )
        .order_by()
    )
    return {
        row["region_code"]: {"housed": row["housed"] or 0, "linked": row["linked"]} for row in rows
    }
