"""Keeping shares and realisation current when key figures, tasks or capacity change."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from capacity.choices import TargetGroup
from capacity.housing.selectors import housed_by_municipality
from capacity.selectors import operational_places_by_type

from ..models import Assignment, Share
from ..tasks import recompute_assignments
from .credited import credits_apply
from .distribution import shares_compute

logger = logging.getLogger(__name__)


def realisation_date(assignment: Assignment, today: datetime.date) -> datetime.date:
    """The end of its period (availability period, else realise-by date) once it has
    passed, else today: after its period a task keeps its final result."""
    end = assignment.period_end
    if end is not None and end < today:
        return end
    return today


def realisation_recompute(
    *,
    municipality_ids: Iterable[int] | None = None,
    assignment_ids: Iterable[int] | None = None,
    from_date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> int:
    """Set each share's ``realised`` as of the realisation date, then the carry-over of the
    tasks that follow the ones recomputed. Returns the number of shares whose ``realised``
    changed.

    A task of places counts the operational capacity of its target group in the municipality
    on the realisation date, of the location types that count toward it; a permit-holder
    task the persons the municipality housed from its ``starts_on`` through the realisation
    date (its housing reports).

    ``from_date`` (a change valid from that date) skips assignments whose deadline passed
    before it. One query per distinct (measure, period, region), bulk writes; idempotent.
    """
    today = today or timezone.localdate()
    assignments = Assignment.objects.select_related("region").annotate(
        followed=Exists(Assignment.objects.filter(follows=OuterRef("pk")))
    )
    if assignment_ids is not None:
        assignments = assignments.filter(pk__in=list(assignment_ids))
    if municipality_ids is not None:
        municipality_ids = list(municipality_ids)
        assignments = assignments.filter(shares__municipality_id__in=municipality_ids).distinct()
    if from_date is not None:
        assignments = assignments.filter(
            Q(realise_by__isnull=True)
            | Q(realise_by__gte=from_date)
            | Q(available_until__gte=from_date)
        )
    # (counts housed, period start, realisation date, region) -> its assignments
    groups: dict[tuple[bool, datetime.date | None, datetime.date, str], list[Assignment]]
    groups = defaultdict(list)
    for assignment in assignments:
        on = realisation_date(assignment, today)
        # Places tasks with an availability period are judged over it (the lowest count).
        start = assignment.starts_on if assignment.counts_housed else assignment.available_from
        if not assignment.counts_housed and start is not None and start > on:
            start = None  # before its period: the places on the day
        groups[(assignment.counts_housed, start, on, assignment.region.code)].append(assignment)

    changed = 0
    followed: list[int] = []
    for (counts_housed, start, on, region_code), group in groups.items():
        if counts_housed:
            housed = housed_by_municipality(start=start, end=on, region_code=region_code)
            figures = {(code, TargetGroup.PERMIT_HOLDERS, ""): n for code, n in housed.items()}
        elif start is not None:
            figures = _period_minimums(group, start=start, end=on, region_code=region_code)
        else:
            figures = operational_places_by_type(on=on, region_code=region_code)
        with transaction.atomic():
            changed += _realisation_apply(
                on=on,
                assignments=group,
                places=figures,
                municipality_ids=municipality_ids,
                per_task=start is not None and not counts_housed,
            )
            changed += credits_apply(assignments=group, on=on, municipality_ids=municipality_ids)
        followed += [assignment.pk for assignment in group if assignment.followed]
    if followed:
        # What the following tasks take over depends on what was realised of these.
        carry_over_recompute(
            assignment_ids=Assignment.objects.filter(follows_id__in=followed).values_list(
                "pk", flat=True
            )
        )
    return changed


@transaction.atomic
def carry_over_recompute(*, assignment_ids: Iterable[int]) -> int:
    """Set ``carried_over`` of the shares of these assignments and of every task that follows
    one of them (directly or through others): per municipality, the effective share of the
    task it follows minus what was realised of it (arrears; negative for a lead), 0 without
    a task to follow. Returns the number of shares changed.

    Down the chain in order, so a task's carry-over includes the one it took over itself.
    Two queries per task in the chain (there is one task per half year), bulk writes;
    idempotent. Call it after anything that changes a task's effective share or realisation.
    """
    order: list[Assignment] = []
    seen: set[int] = set()
    level = list(Assignment.objects.filter(pk__in=list(assignment_ids)).order_by("pk"))
    while level:
        level = [assignment for assignment in level if assignment.pk not in seen]
        seen.update(assignment.pk for assignment in level)
        order += level
        level = list(Assignment.objects.filter(follows_id__in=[a.pk for a in level]).order_by("pk"))
    # A task after the one it follows, whichever was asked for or created first.
    by_pk = {assignment.pk: assignment for assignment in order}

    def depth(assignment: Assignment) -> int:
        steps, previous = 0, assignment.follows_id
        while previous in by_pk and steps < len(by_pk):
            steps, previous = steps + 1, by_pk[previous].follows_id
        return steps

    order.sort(key=lambda assignment: (depth(assignment), assignment.pk))
    # A task that follows none carries nothing over (it may just have stopped following one).
    changed = (
        Share.objects.filter(assignment__in=[a.pk for a in order if a.follows_id is None])
        .exclude(carried_over=0)
        .update(carried_over=0)
    )
    for assignment in order:
        if assignment.follows_id is None:
            continue
        # The arrears are the previous task's gap: credited effort counts as realised.
        previous = {
            municipality_id: gap
            for municipality_id, gap in Share.objects.with_effective()
            .filter(assignment_id=assignment.follows_id)
            .values_list("municipality_id", "gap")
        }
        updated = []
        for share in Share.objects.filter(assignment=assignment).only(
            "pk", "municipality_id", "carried_over"
        ):
            carried_over = previous.get(share.municipality_id, 0)
            if share.carried_over != carried_over:
                share.carried_over = carried_over
                updated.append(share)
        Share.objects.bulk_update(updated, ["carried_over"])
        changed += len(updated)
    return changed


def _period_minimums(
    assignments: list[Assignment], *, start: datetime.date, end: datetime.date, region_code: str
) -> dict[tuple[str, str, str], int]:
    """Per municipality, the lowest number of places counting toward each task over the
    period, keyed as (code, target group, "task:<pk>") for :func:`_realisation_apply`.
    One query for the days places changed, one per such day."""
    from ..tasks_in_force import change_days

    days = change_days(region_code=region_code, start=start, end=end)
    by_day = [operational_places_by_type(on=day, region_code=region_code) for day in days]
    codes = {code for places in by_day for code, _group, _type in places}
    figures = {}
    for assignment in assignments:
        for code in codes:
            figures[(code, assignment.target_group, f"task:{assignment.pk}")] = min(
                (assignment.realised_from(places, code) for places in by_day), default=0
            )
    return figures


def _realisation_apply(
    *,
    on: datetime.date,
    assignments: list[Assignment],
    places: Mapping[tuple[str, str, str], int],
    municipality_ids: list[int] | None,
    per_task: bool = False,
) -> int:
    by_id = {assignment.pk: assignment for assignment in assignments}
    shares = Share.objects.filter(assignment_id__in=by_id).select_related("municipality")
    if municipality_ids is not None:
        shares = shares.filter(municipality_id__in=municipality_ids)
    updated = []
    for share in shares:
        assignment = by_id[share.assignment_id]
        if assignment.counts_housed:
            realised = places.get((share.municipality.code, assignment.target_group, ""), 0)
        elif per_task:
            key = (share.municipality.code, assignment.target_group, f"task:{assignment.pk}")
            realised = places.get(key, 0)
        else:
            realised = assignment.realised_from(places, share.municipality.code)
        if share.realised != realised:
            share.realised = realised
            updated.append(share)
    Share.objects.bulk_update(updated, ["realised"])
    Assignment.objects.filter(pk__in=by_id).exclude(realised_on=on).update(realised_on=on)
    return len(updated)


def assignments_recompute(
    *,
    assignment_ids: Iterable[int] | None = None,
    municipality_ids: Iterable[int] | None = None,
) -> dict[str, int]:
    """Recompute shares (from the current key figures) and realisation; idempotent.

    An assignment whose distribution has become impossible (say a key figure was removed)
    keeps its last shares and records the Dutch reason in ``compute_error``; the others go on.
    """
    assignments = Assignment.objects.select_related("region").order_by("pk")
    if assignment_ids is not None:
        assignments = assignments.filter(pk__in=list(assignment_ids))
    if municipality_ids is not None:
        assignments = assignments.filter(
            region__municipalities__pk__in=list(municipality_ids)
        ).distinct()
    done, failed = [], 0
    for assignment in assignments:
        try:
            shares_compute(assignment=assignment)
        except ValidationError as exc:
            failed += 1
            message = " ".join(exc.messages)
            logger.warning("Assignment %s not recomputed: %s", assignment.code, message)
            Assignment.objects.filter(pk=assignment.pk).update(compute_error=message)
        done.append(assignment.pk)
    realised = realisation_recompute(assignment_ids=done) if done else 0
    return {"assignments": len(done), "failed": failed, "realised_changed": realised}


def assignments_recompute_enqueue(
    *,
    assignment_ids: Iterable[int] | None = None,
    municipality_ids: Iterable[int] | None = None,
) -> None:
    """Recompute on the worker once the current transaction has committed.

    Call this after key figures (population, SES-WOA factor, land area) of municipalities
    change, with their ids, or after a task changed.
    """
    assignment_ids = None if assignment_ids is None else sorted(set(assignment_ids))
    municipality_ids = None if municipality_ids is None else sorted(set(municipality_ids))
    transaction.on_commit(
        lambda: recompute_assignments.delay(
            assignment_ids=assignment_ids, municipality_ids=municipality_ids
        )
    )


def realisation_followup(municipality_ids: Iterable[int], from_date: datetime.date | None) -> None:
    """Hook for the capacity recompute: realisation of the municipalities' assignments."""
    realisation_recompute(municipality_ids=municipality_ids, from_date=from_date)
