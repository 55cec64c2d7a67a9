"""Reads for the allocation pages and API; every function uses a fixed number of queries."""

import datetime

from django.db.models import F, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from capacity.choices import TargetGroup
from capacity.selectors import operational_places_by_type

from .choices import AssignmentStatus, ExchangeStatus
from .credit_rules import credits_valued
from .models import Assignment, AssignmentQuerySet, Exchange, Share, ShareQuerySet


def shares_with_effective() -> ShareQuerySet:
    return Share.objects.with_effective().select_related("municipality")


def assignments_for_region(region_code: str) -> AssignmentQuerySet:
    """A region's assignments with their regional totals (one query)."""
    return (
        Assignment.objects.in_region(region_code)
        .select_related("region")
        .with_totals()
        .order_by("target_group", "-realise_by", "code")
    )


def assignments_with_shares(region_code: str) -> AssignmentQuerySet:
    """As :func:`assignments_for_region`, shares with effective figures and, for permit-holder
    tasks, the pipeline (``linked``) prefetched, and the parts with their totals and shares
    (4 queries)."""
    shares = Prefetch(
        "shares", queryset=shares_with_effective().with_linked().order_by("municipality__code")
    )
    parts = Assignment.objects.with_totals().prefetch_related(shares).order_by("code")
    return (
        assignments_for_region(region_code)
        .select_related("follows", "parent")
        .prefetch_related(shares, Prefetch("parts", queryset=parts))
    )


def in_force(on: datetime.date) -> Q:
    """Tasks in force on `on`: adopted (or closed since), not a part of another task, and `on`
    within their period: from ``available_from`` (else ``starts_on``) through
    ``available_until`` (else ``realise_by``), either end open when unset. An expired task is
    never in force, so nothing falls back to it."""
    started = Q(available_from__lte=on) | Q(
        Q(starts_on__isnull=True) | Q(starts_on__lte=on), available_from__isnull=True
    )
    not_ended = Q(available_until__gte=on) | Q(
        Q(realise_by__isnull=True) | Q(realise_by__gte=on), available_until__isnull=True
    )
    return (
        Q(status__in=[AssignmentStatus.ADOPTED, AssignmentStatus.CLOSED], parent__isnull=True)
        & started
        & not_ended
    )


def _ranked_active(assignments: AssignmentQuerySet, on: datetime.date) -> AssignmentQuerySet:
    """Rank 1 is the active task of each (region, target group) on `on` (see below)."""
    end = Coalesce("available_until", "realise_by")
    return (
        assignments.filter(in_force(on))
        .annotate(
            active_rank=Window(
                RowNumber(),
                partition_by=[F("region_id"), F("target_group")],
                order_by=[
                    end.asc(nulls_last=True),
                    F("adopted_at").desc(nulls_last=True),
                    F("pk").desc(),
                ],
            )
        )
        .filter(active_rank=1)
    )


def active_assignments(*, region_code: str, on: datetime.date) -> dict[str, Assignment]:
    """The active task of each target group of a region on `on`, with its totals (one query).

    Active: among the region's tasks of that target group in force on `on` (see
    :func:`in_force`), the one whose period ends first (an open-ended one last). Ties go to
    the most recently adopted. A target group without a task in force is left out of the
    dict: an expired task is not shown as if it were still running. Every task in force is
    in :func:`tasks_in_force`.
    """
    ranked = _ranked_active(assignments_for_region(region_code), on)
    return {assignment.target_group: assignment for assignment in ranked}


def active_assignments_by_region(
    *, on: datetime.date, province_code: str | None = None
) -> dict[tuple[str, str], Assignment]:
    """The active task per (region code, target group) of every region, or of the regions of
    one province, on `on`, with its totals: the same rule as :func:`active_assignments`, in
    one query whatever the number of regions."""
    assignments = Assignment.objects.select_related("region").with_totals().order_by()
    if province_code is not None:
        assignments = assignments.filter(region__province__code=province_code)
    return {
        (assignment.region.code, assignment.target_group): assignment
        for assignment in _ranked_active(assignments, on)
    }


def places_realised(assignment: Assignment, *, on: datetime.date) -> dict[str, int]:
    """Per municipality (CBS code) of the task's region, the operational places on `on` that
    count toward a task of places: its target group and location types (one query)."""
    places = operational_places_by_type(on=on, region_code=assignment.region.code)
    codes = {code for code, _group, _type in places}
    return {code: assignment.realised_from(places, code) for code in sorted(codes)}


def shares_of(assignment: Assignment) -> ShareQuerySet:
    """One assignment's shares with exchanges balance, carry-over, effective share, gap and
    (permit holders) the pipeline (one query)."""
    return (
        shares_with_effective()
        .with_linked()
        .filter(assignment=assignment)
        .order_by("municipality__name")
    )


def exchanges_for_region(region_code: str) -> QuerySet[Exchange]:
    return Exchange.objects.filter(region__code=region_code).select_related(
        "region",
        "from_municipality",
        "to_municipality",
        "from_assignment",
        "to_assignment",
        "created_by",
    )


def exchange_balances(exchanges: QuerySet[Exchange]) -> list[dict]:
    """Per municipality: places taken over minus places given away, per target group and in
    total ("under the line"), over the agreed exchanges among ``exchanges`` (two GROUP BY
    queries). A total of 0 means the municipality only shifted places between target groups.
    """
    agreed = exchanges.filter(status=ExchangeStatus.AGREED).order_by()
    given = agreed.values(
        "from_municipality__code", "from_municipality__name", "from_assignment__target_group"
    ).annotate(places=Sum("places"))
    # The receiving side gets the places at the exchange's ratio.
    taken = agreed.values(
        "to_municipality__code", "to_municipality__name", "to_assignment__target_group"
    ).annotate(places=Sum("to_places"))
    rows: dict[str, dict] = {}

    def row(code: str, name: str) -> dict:
        return rows.setdefault(
            code,
            {"code": code, "name": name, "by_group": dict.fromkeys(TargetGroup.values, 0)},
        )

    for item in given:
        entry = row(item["from_municipality__code"], item["from_municipality__name"])
        entry["by_group"][item["from_assignment__target_group"]] -= item["places"]
    for item in taken:
        entry = row(item["to_municipality__code"], item["to_municipality__name"])
        entry["by_group"][item["to_assignment__target_group"]] += item["places"]
    result = []
    for entry in sorted(rows.values(), key=lambda entry: entry["name"]):
        entry["balances"] = [entry["by_group"][group] for group in TargetGroup.values]
        entry["total"] = sum(entry["balances"])
        result.append(entry)
    return result


def credits_of(assignment: Assignment) -> list:
    """The task's credited effort, each with ``counted`` as of its realisation date (two
    queries)."""
    on = assignment.realised_on or timezone.localdate()
    return credits_valued(assignments=[assignment], on=on)
