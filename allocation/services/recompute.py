"""Keeping shares and realisation current when key figures, tasks or capacity change."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from capacity.selectors import realised_places

from ..models import Assignment, Share
from ..tasks import recompute_assignments
from .distribution import shares_compute

logger = logging.getLogger(__name__)


def realisation_date(assignment: Assignment, today: datetime.date) -> datetime.date:
    """The deadline once it has passed, else today."""
    if assignment.deadline is not None and assignment.deadline < today:
        return assignment.deadline
    return today


def realisation_recompute(
    *,
    municipality_ids: Iterable[int] | None = None,
    assignment_ids: Iterable[int] | None = None,
    from_date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> int:
    """Set each share's ``realised`` to the operational capacity of the assignment's target
    group in the municipality on the realisation date. Returns the number of shares changed.

    ``from_date`` (a capacity change valid from that date) skips assignments whose deadline
    passed before it. One capacity query per distinct (realisation date, region), bulk writes;
    idempotent.
    """
    today = today or timezone.localdate()
    assignments = Assignment.objects.select_related("region")
    if assignment_ids is not None:
        assignments = assignments.filter(pk__in=list(assignment_ids))
    if municipality_ids is not None:
        municipality_ids = list(municipality_ids)
        assignments = assignments.filter(shares__municipality_id__in=municipality_ids).distinct()
    if from_date is not None:
        assignments = assignments.filter(Q(deadline__isnull=True) | Q(deadline__gte=from_date))
    groups: dict[tuple[datetime.date, str], list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        groups[(realisation_date(assignment, today), assignment.region.code)].append(assignment)

    changed = 0
    for (on, region_code), group in groups.items():
        with transaction.atomic():
            changed += _realisation_apply(
                on=on,
                assignments=group,
                places=realised_places(on=on, region_code=region_code),
                municipality_ids=municipality_ids,
            )
    return changed


def _realisation_apply(
    *,
    on: datetime.date,
    assignments: list[Assignment],
    places: Mapping[tuple[str, str], int],
    municipality_ids: list[int] | None,
) -> int:
    by_id = {assignment.pk: assignment for assignment in assignments}
    shares = Share.objects.filter(assignment_id__in=by_id).select_related("municipality")
    if municipality_ids is not None:
        shares = shares.filter(municipality_id__in=municipality_ids)
    updated = []
    for share in shares:
        target_group = by_id[share.assignment_id].target_group
        realised = places.get((share.municipality.code, target_group), 0)
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
