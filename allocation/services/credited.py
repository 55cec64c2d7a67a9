"""Keeping each share's ``credited`` current from its credits (`Credit`).

A credit counts as realised on the realisation date by :func:`credit_value`; the worker
writes the sum per share (``Share.credited``) whenever it recomputes the realisation, so a
credited location that closes, or planned effort whose due date passes undelivered, shows
as a shortfall again without anyone touching the credit.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q

from ..credit_rules import credits_valued
from ..models import Assignment, Credit, Share


def credited_by_share(
    *, assignments: Iterable[Assignment], on: datetime.date
) -> dict[tuple[int, int], int]:
    """(assignment id, municipality id) -> credited places on `on`. Two queries."""
    result: dict[tuple[int, int], int] = defaultdict(int)
    for credit in credits_valued(assignments=assignments, on=on):
        result[(credit.assignment_id, credit.municipality_id)] += credit.counted
    return result


def credits_apply(
    *,
    assignments: list[Assignment],
    on: datetime.date,
    municipality_ids: list[int] | None = None,
) -> int:
    """Write ``credited`` of the shares of `assignments` as of `on`; returns how many changed.

    Only shares with a credit, or still showing one, are looked at: one query when the
    tasks have no credits (the common case), a few more when they do. Bulk writes only what
    changed (idempotent).
    """
    has_credit = Exists(
        Credit.objects.filter(
            assignment_id=OuterRef("assignment_id"), municipality_id=OuterRef("municipality_id")
        )
    )
    shares = Share.objects.filter(assignment__in=assignments).filter(Q(credited__gt=0) | has_credit)
    if municipality_ids is not None:
        shares = shares.filter(municipality_id__in=municipality_ids)
    shares = list(shares.only("pk", "assignment_id", "municipality_id", "credited"))
    if not shares:
        return 0
    credited = credited_by_share(assignments=assignments, on=on)
    updated = []
    for share in shares:
        value = credited.get((share.assignment_id, share.municipality_id), 0)
        if share.credited != value:
            share.credited = value
            updated.append(share)
    Share.objects.bulk_update(updated, ["credited"])
    return len(updated)
